"""The platform administrator downloads the 2020 COVID-19 annex of examples from /platform: the form (theme, year),
the page to print with a published partnership's example on it, and a wrong year shown beside its field."""

from selenium.webdriver.common.by import By

import harness
from pages import error_summary_fields, fill

PLATFORM_ADMIN = "platform@stedenband.demo.invalid"  # made by `stedenband demo`


def test_platform_administrator_opens_the_2020_covid_annex(stack, browser):
    # A published partnership of Roeselare with a 2020 COVID-19 activity, and one never published, as a
    # coordinator makes them.
    token = stack.user("coordinator", "roeselare")["token"]
    published = harness.api(
        stack,
        "POST",
        "/partnerships",
        token,
        {"title": "Roeselare–Kandi (annex)", "partner": {"name": "Kandi", "country": "BJ"}},
    )["id"].lower()
    hidden = harness.api(
        stack,
        "POST",
        "/partnerships",
        token,
        {"title": "Roeselare–Nikki (never published)", "partner": {"name": "Nikki", "country": "BJ"}},
    )["id"].lower()
    for partnership, title in [(published, "Masks for the Kandi market"), (hidden, "Nikki's unpublished plan")]:
        harness.api(
            stack,
            "POST",
            f"/partnerships/{partnership}/activities",
            token,
            {
                "title": title,
                "kind": "emergency_support",
                "direction": "north_to_south",
                "themes": ["covid-19"],
                "startsOn": "2020-04-01",
            },
        )
    harness.api(
        stack, "PATCH", f"/partnerships/{published}", token, {"published": True, "story": "Kandi and Roeselare."}
    )

    harness.sign_in_platform_by_command(browser, PLATFORM_ADMIN)
    harness.visit(browser, "/platform?lang=en")
    section = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby='platform-examples']")
    assert section.find_element(By.ID, "platform-examples").text == "Annex of examples"
    harness.axe_check(browser)

    # A wrong year: the form again, the message beside the field and in the summary, what was typed kept.
    fill(browser, "theme", "covid-19")
    fill(browser, "year", "twenty")
    browser.find_element(By.ID, "examples-page").click()
    harness.wait_for_path(browser, lambda path: path == "/platform/examples", "/platform/examples")
    assert error_summary_fields(browser) == ["year"]
    assert browser.find_element(By.ID, "year-error").text == "Enter a year such as 2020"
    assert browser.find_element(By.ID, "theme").get_attribute("value") == "covid-19"
    harness.axe_check(browser)

    # The right year: the page to print, with the published example and nothing unpublished. The read model
    # follows the events a moment later.
    fill(browser, "year", "2020")
    browser.find_element(By.ID, "examples-page").click()

    def annex_shows_kandi():
        harness.visit(browser, "/platform/examples?theme=covid-19&year=2020&lang=en")
        return "Roeselare–Kandi (annex)" in browser.find_element(By.TAG_NAME, "body").text

    harness.poll("the annex to show Roeselare–Kandi", annex_shows_kandi, interval=0.5)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Examples of municipal partnerships — covid-19 · 2020"
    text = browser.find_element(By.TAG_NAME, "body").text
    assert "Masks for the Kandi market" in text and "with Kandi, Benin" in text
    assert "/showcase/roeselare/kandi" in text
    assert "Nikki" not in text
    harness.axe_check(browser)
