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
