"""Both sides report results in a real browser: a partner coordinator on a phone in French reports a value from
their dashboard; a coordinator returns it with a reason (refused without one), and the partner sees why. Every
page passes axe."""

from selenium.webdriver.common.by import By

import harness
from pages import fill, html_lang, partnership_ids


def test_partner_reports_on_a_phone_in_french_and_a_coordinator_returns_it(stack, phone_fr, browser):
    coordinator = stack.user("admin", "roeselare")
    partner = stack.user("partner_coordinator", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, partner["token"]))
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {"title": "Formation des agents de santé (browser suite)", "kind": "capacity_building", "direction": "mutual"},
    )["id"].lower()
    result = harness.api(
        stack, "POST", f"/activities/{activity}/results", coordinator["token"], {"title": "Agents formés", "type": "output"}
    )["id"].lower()
    indicator = harness.api(
        stack,
        "POST",
        f"/results/{result}/indicators",
        coordinator["token"],
        {"title": "Agents de santé formés", "measure": "unit"},
    )["id"].lower()
    period = harness.api(
        stack,
        "POST",
        f"/indicators/{indicator}/periods",
        coordinator["token"],
        {"start": "2030-01-01", "end": "2030-12-31", "target": {"value": "40"}},
    )["id"].lower()

    # The partner coordinator, on a phone in French: from the dashboard to the list, to the form.
    harness.sign_in(phone_fr, partner["email"])
    harness.visit(phone_fr, "/")
    phone_fr.find_element(By.ID, "dashboard-to-report").click()
    harness.wait_for_path(phone_fr, lambda path: path == "/results/report", "the values to report")
    assert html_lang(phone_fr) == "fr"
    harness.axe_check(phone_fr)
    phone_fr.find_element(By.ID, f"report-{period}").click()
    harness.wait_for_path(phone_fr, lambda path: path == f"/periods/{period}/report", "the phone form")
    assert phone_fr.find_element(By.ID, "value").get_attribute("inputmode") == "decimal"
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "report-value-phone-fr")
    fill(phone_fr, "value", "38,5")
    fill(phone_fr, "comment", "Deux sessions à Dogbo")
    harness.submit(phone_fr, f'form[action="/periods/{period}/report"]')
    harness.wait_for_path(phone_fr, lambda path: path == f"/activities/{activity}", "the activity's page")
    row = phone_fr.find_element(By.XPATH, f"//h4[@id='indicator-{indicator}']/following::table[1]//tr[td]")
    assert "38,5" in row.text and "soumise" in row.text, row.text

    # A coordinator returns it: without a reason the same page says why beside the field; then with one.
    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, "/results/review")
    harness.axe_check(browser)
    harness.submit(browser, f'form[action="/periods/{period}/return"]')
    assert harness.status_of_page(browser) == 422
    assert browser.find_element(By.ID, f"return-{period}-error").text
    harness.axe_check(browser)
    browser.find_element(By.ID, f"return-{period}").send_keys("Quelle source ?")
    harness.submit(browser, f'form[action="/periods/{period}/return"]')
    harness.wait_for_path(browser, lambda path: path == "/results/review", "the review list")
    assert not browser.find_elements(By.ID, f"period-{period}")

    # The partner sees it back on their list, with the reason.
    harness.visit(phone_fr, "/results/report")
    assert "Quelle source ?" in phone_fr.find_element(By.TAG_NAME, "main").text
