"""The administrators' pages as people use them: a municipality's administrator sets its IATI organisation on
/admin/municipality, and a platform administrator signs in by the mailed link and adds a municipality on
/platform."""

import re
import uuid

from selenium.webdriver.common.by import By

import harness
from pages import error_summary_fields, field_value, fill

PLATFORM_ADMIN = "platform@stedenband.demo.invalid"  # made by `stedenband demo`


def _platform_link(browser, address):
    """Asks for a sign-in link at /sign-in as anyone does and returns the platform administrator's link the
    mail carries."""
    stack = browser.stack
    harness.visit(browser, "/sign-in")
    mark = stack.mail.mark()
    fill(browser, "email", address)
    harness.submit(browser, 'form[action="/sign-in"]')
    harness.wait_for_path(browser, lambda path: path == "/sign-in/sent", "/sign-in/sent")
    text = harness.message_text(stack.mail.wait_for(address, since=mark))
    links = re.findall(re.escape(stack.url) + r"/sign-in/platform/[^\s<>\"')\]]+", text)
    assert links, f"no {stack.url}/sign-in/platform/… in the mail to {address}:\n{text}"
    return links[0]


def test_an_administrator_sets_the_iati_organisation(stack, browser):
    admin = stack.user("admin", "herent")
    harness.sign_in(browser, admin["email"])
    current = browser.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]')
    assert current.get_attribute("href").endswith("/")
    browser.find_element(By.CSS_SELECTOR, 'nav a[href="/admin/municipality"]').click()
    harness.wait_for_path(browser, lambda path: path == "/admin/municipality", "/admin/municipality")
    current = browser.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]')
    assert current.get_attribute("href").endswith("/admin/municipality")
    harness.axe_check(browser)

    # A wrong identifier: the summary links to the field, the message stands beside it, the typed value stays.
    fill(browser, "iatiOrganisationReference", "herent 0207")
    fill(browser, "iatiOrganisationType", "11")
    harness.submit(browser, 'form[action="/admin/municipality"]')
    assert harness.status_of_page(browser) == 422
    assert error_summary_fields(browser) == ["iatiOrganisationReference"]
    assert browser.find_element(By.ID, "iatiOrganisationReference-error").text.strip()
    assert field_value(browser, "iatiOrganisationReference") == "herent 0207"
    harness.axe_check(browser)

    fill(browser, "iatiOrganisationReference", "BE-BCE_KBO-0207437468")
    harness.submit(browser, 'form[action="/admin/municipality"]')
    harness.wait_for_path(browser, lambda path: path == "/admin/municipality", "/admin/municipality")
    assert browser.find_elements(By.ID, "saved")
    assert field_value(browser, "iatiOrganisationReference") == "BE-BCE_KBO-0207437468"
    assert field_value(browser, "iatiOrganisationType") == "11"
    harness.screenshot(browser, "admin-municipality")
    saved = stack.sql("SELECT iati_organisation_ref || ' ' || iati_organisation_type FROM platform.tenants WHERE slug = 'herent'")
    assert saved.strip() == "BE-BCE_KBO-0207437468 11"


def test_a_coordinator_is_refused_the_municipality_settings(stack, browser):
    coordinator = stack.user("coordinator", "herent")
    harness.sign_in(browser, coordinator["email"])
    assert not browser.find_elements(By.CSS_SELECTOR, 'nav a[href="/admin/municipality"]')
    harness.forget_statuses(browser)
    harness.visit(browser, "/admin/municipality")
    assert harness.status_of_page(browser) == 403
    assert not browser.find_elements(By.NAME, "iatiOrganisationReference")


def test_a_platform_administrator_signs_in_by_mail_and_adds_a_municipality(stack, browser):
    link = _platform_link(browser, PLATFORM_ADMIN)
    browser.get(link)
    harness.submit(browser, "form:has(#confirm-sign-in)")
    harness.wait_for_path(browser, lambda path: path == "/platform", "/platform")
    current = browser.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]')
    assert current.get_attribute("href").endswith("/platform")
    assert not browser.find_elements(By.CSS_SELECTOR, 'nav a[href="/partnerships"]')
    slugs = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr td:nth-child(2)")]
    assert "sint-niklaas" in slugs and "herent" in slugs, slugs
    harness.axe_check(browser)

    slug = "para-" + uuid.uuid4().hex[:6]
    fill(browser, "name", "Para")
    fill(browser, "slug", "Para Town")
    fill(browser, "adminEmail", f"admin@{slug}.demo.invalid")
    harness.submit(browser, 'form[action="/platform/tenants"]')
    assert harness.status_of_page(browser) == 422
    assert error_summary_fields(browser) == ["slug"]
    assert field_value(browser, "slug") == "Para Town"

    fill(browser, "slug", slug)
    fill(browser, "timeZone", "America/Paramaribo")
    harness.submit(browser, 'form[action="/platform/tenants"]')
    harness.wait_for_path(browser, lambda path: path == "/platform", "/platform")
    assert browser.find_elements(By.ID, "created")
    slugs = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "main table tbody tr td:nth-child(2)")]
    assert slug in slugs, slugs
    harness.screenshot(browser, "platform")

    # A municipality's page is not the platform administrator's: 404, as the API answers.
    harness.forget_statuses(browser)
    harness.visit(browser, "/partnerships")
    assert harness.status_of_page(browser) == 404
