"""Both sides report results in a real browser: a partner coordinator on a phone in French reports a value from
their dashboard; a coordinator returns it with a reason (refused without one), and the partner sees why. Every
page passes axe."""

from selenium.webdriver.common.by import By

import harness
from pages import error_summary_fields, fill, html_lang, partnership_ids


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


def test_a_coordinator_defines_an_indicator_on_pages(stack, browser):
    """The issue's first step, as a coordinator does it in a browser: a result, an indicator with its baseline
    and SDG target, and yearly targets, from the activity's page; a period ending before it starts is refused
    beside its field; the chart then stands on the page. Every form passes axe."""
    coordinator = stack.user("coordinator", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, coordinator["token"]))
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {"title": "Digital birth registration (browser suite)", "kind": "knowledge_exchange", "direction": "mutual"},
    )["id"].lower()
    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, f"/activities/{activity}")
    browser.find_element(By.ID, "add-result").click()
    harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}/results/new", "the result form")
    harness.axe_check(browser)
    fill(browser, "title", "Every birth registered in time")
    fill(browser, "type", "outcome")
    harness.submit(browser, "form[action$='/results/new']")
    harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}", "the activity's page")

    browser.find_element(By.CSS_SELECTOR, "a[href$='/indicators/new']").click()
    harness.wait_for_path(browser, lambda path: path.endswith("/indicators/new"), "the indicator form")
    harness.axe_check(browser)
    fill(browser, "title", "Birth registrations within 90 days (%)")
    fill(browser, "measure", "percentage")
    fill(browser, "sdgTarget", "16.9")
    fill(browser, "baseline.year", "2019")
    fill(browser, "baseline.value", "61")
    harness.submit(browser, "form[action$='/indicators/new']")
    harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}", "the activity's page")

    for year, target in [("2020", "70"), ("2021", "80")]:
        browser.find_element(By.CSS_SELECTOR, "a[href$='/periods/new']").click()
        harness.wait_for_path(browser, lambda path: path.endswith("/periods/new"), "the period form")
        fill(browser, "start", f"{year}-01-01")
        fill(browser, "end", f"{int(year) - 1}-12-31" if year == "2020" else f"{year}-12-31")
        fill(browser, "target.value", target)
        harness.submit(browser, "form[action$='/periods/new']")
        if year == "2020":
            # The end before the start: the same form, the message beside the field, the summary linking to it.
            assert harness.status_of_page(browser) == 422
            assert error_summary_fields(browser) == ["end"]
            assert browser.find_element(By.ID, "end-error").text
            harness.axe_check(browser)
            fill(browser, "end", f"{year}-12-31")
            harness.submit(browser, "form[action$='/periods/new']")
        harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}", "the activity's page")

    heading = browser.find_element(By.XPATH, "//h4[text()='Birth registrations within 90 days (%)']")
    rows = heading.find_elements(By.XPATH, "following::table[1]//tr[td]")
    assert [row.text.split("\n")[0] for row in rows] == ["2020", "2021"]
    meta = heading.find_element(By.XPATH, "following-sibling::p[1]").text
    assert "16.9" in meta and "2019: 61" in meta, meta
    assert browser.find_elements(By.CSS_SELECTOR, "svg.indicator-chart rect.target")
    harness.axe_check(browser)
