"""/reports for a partner coordinator on a phone in French: their partnership's figures only, no IATI file (as
the API refuses it them), nothing wider than the screen, no serious accessibility violation."""

import urllib.error
import urllib.request

from selenium.webdriver.common.by import By

import harness
from pages import html_lang, partnership_ids


def test_partner_coordinator_reads_their_report_on_a_phone_in_french(stack, phone_fr):
    partner = stack.user("partner_coordinator", "roeselare")
    theirs = partnership_ids(stack, partner["token"])
    assert theirs
    expected = harness.api(stack, "GET", "/reports/overview", partner["token"])["activities"]
    harness.sign_in(phone_fr, partner["email"])
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, "/reports")
    assert harness.status_of_page(phone_fr) == 200
    assert html_lang(phone_fr) == "fr"
    assert phone_fr.find_element(By.TAG_NAME, "h1").text == "Rapports"
    # Their partnerships only, in the filter's list and in the figures.
    options = phone_fr.find_elements(By.CSS_SELECTOR, 'select[name="partnershipId"] option')
    assert sorted(option.get_attribute("value") for option in options if option.get_attribute("value")) == sorted(
        theirs
    )
    assert phone_fr.find_element(By.ID, "figure-activities").text == str(expected)
    # The IATI file is the municipality's publication: not linked, and refused as the API refuses it.
    assert phone_fr.find_element(By.ID, "iati-not-yours").text
    assert not phone_fr.find_elements(By.ID, "download-iati")
    cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in phone_fr.get_cookies())
    request = urllib.request.Request(
        stack.url + "/reports/iati.xml", headers={"Cookie": cookies, "X-Forwarded-For": phone_fr.client_address}
    )
    try:
        urllib.request.urlopen(request, timeout=harness.WAIT)
        raise AssertionError("/reports/iati.xml answered a partner coordinator")
    except urllib.error.HTTPError as refused:
        assert refused.code == 403
    # Mobile first: nothing wider than the phone's screen.
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "reports-phone-fr")


def test_partner_coordinator_prints_the_results_report_on_a_phone_in_french(stack, phone_fr):
    """From /reports, the link to the results report to print: their partnership's indicators only, in French,
    nothing wider than the phone's screen, no serious accessibility violation."""
    coordinator = stack.user("admin", "roeselare")
    partner = stack.user("partner_coordinator", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, partner["token"]))
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {"title": "Mobiele registratieteams (browser suite)", "kind": "knowledge_exchange", "direction": "mutual"},
    )["id"].lower()
    result = harness.api(
        stack,
        "POST",
        f"/activities/{activity}/results",
        coordinator["token"],
        {"title": "Elke geboorte geregistreerd", "type": "outcome"},
    )["id"].lower()
    indicator = harness.api(
        stack,
        "POST",
        f"/results/{result}/indicators",
        coordinator["token"],
        {
            "title": "Geboorteaangiften binnen 90 dagen (%)",
            "measure": "percentage",
            "sdgTarget": "16.9",
            "baseline": {"year": 2019, "value": "61"},
        },
    )["id"].lower()
    harness.sign_in(phone_fr, partner["email"])
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, "/reports")
    phone_fr.find_element(By.ID, "results-report").click()
    harness.wait_for_path(phone_fr, lambda path: path == "/reports/results", "the results report")
    assert harness.status_of_page(phone_fr) == 200
    assert html_lang(phone_fr) == "fr"
    assert phone_fr.find_element(By.TAG_NAME, "h1").text.startswith("Rapport des résultats")
    headings = [element.text for element in phone_fr.find_elements(By.TAG_NAME, "h3")]
    assert "Geboorteaangiften binnen 90 dagen (%)" in headings
    assert "Valeur de référence 2019: 61" in phone_fr.find_element(By.TAG_NAME, "body").text
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "results-report-phone-fr")
    # The activity's page shows the same indicator with its chart, in French, on the phone.
    period = harness.api(
        stack,
        "POST",
        f"/indicators/{indicator}/periods",
        coordinator["token"],
        {"start": "2020-01-01", "end": "2020-12-31", "target": {"value": "70"}},
    )["id"].lower()
    harness.api(stack, "PUT", f"/periods/{period}/actual", partner["token"], {"value": "74", "comment": "Équipes mobiles"})
    harness.api(stack, "POST", f"/periods/{period}/approve", coordinator["token"])
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, f"/activities/{activity}")
    assert harness.status_of_page(phone_fr) == 200
    assert phone_fr.find_element(By.ID, "results-heading").text == "Résultats"
    chart = phone_fr.find_element(By.CSS_SELECTOR, "svg.indicator-chart title")
    assert "74\u00a0% en 2020" in chart.get_attribute("textContent")
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "activity-results-phone-fr")
