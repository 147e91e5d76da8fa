"""A platform administrator's own settings page: the same /settings as everyone's, with their language and their
sessions only; changing the language and signing out everywhere, which ends their session in another browser."""

import re

from selenium.webdriver.common.by import By

import harness
from pages import field_value, fill, html_lang

PLATFORM_ADMIN = "platform@stedenband.demo.invalid"  # made by `stedenband demo`


def _sign_in_platform_administrator(browser):
    """Signs the platform administrator in with a link from `stedenband sign-in-link` (as an operator hands one
    out: the sign-in page's limit of a few links at once per address is test_admin's)."""
    output = harness.stedenband(browser.stack, "sign-in-link", PLATFORM_ADMIN)
    paths = re.findall(r"/sign-in/platform/[^\s<>\"')\]]+", output)
    assert paths, f"no /sign-in/platform/… in what stedenband sign-in-link printed:\n{output}"
    browser.get(browser.stack.url + paths[0])
    harness.submit(browser, "form:has(#confirm-sign-in)")
    harness.wait_for_path(browser, lambda path: path == "/platform", "/platform")


def test_a_platform_administrator_changes_language_and_signs_out_everywhere(stack, browser):
    other = harness.new_browser(stack)
    try:
        _sign_in_platform_administrator(browser)
        _sign_in_platform_administrator(other)

        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/settings"]').click()
        harness.wait_for_path(browser, lambda path: path == "/settings", "/settings")
        current = browser.find_element(By.CSS_SELECTOR, 'nav a[aria-current="page"]')
        assert current.get_attribute("href").endswith("/settings")
        # Their language and sessions; no municipality's time zone or digests.
        assert not browser.find_elements(By.NAME, "timeZone")
        assert not browser.find_elements(By.CSS_SELECTOR, 'form[action="/settings/notifications"]')
        assert len(browser.find_elements(By.CSS_SELECTOR, "table.sessions tbody tr")) >= 2
        assert len(browser.find_elements(By.CSS_SELECTOR, "table.sessions tbody tr.current")) == 1
        harness.axe_check(browser)

        fill(browser, "locale", "fr")
        harness.submit(browser, 'form[action="/settings"]')
        harness.wait_for_path(browser, lambda path: path == "/settings", "/settings")
        assert html_lang(browser) == "fr"
        assert field_value(browser, "locale") == "fr"
        # Saved as theirs: their other browser, which asks for English, reads French too.
        harness.visit(other, "/platform")
        assert html_lang(other) == "fr"

        harness.submit(browser, 'form[action="/settings/sessions/end-all"]')
        harness.wait_for_path(browser, lambda path: path == "/sign-in", "/sign-in")
        harness.visit(other, "/platform")
        harness.wait_for_path(other, lambda path: path == "/sign-in", "the other browser signed out")
        harness.visit(browser, "/platform")
        harness.wait_for_path(browser, lambda path: path == "/sign-in", "this browser signed out")
    finally:
        other.quit()
        # The suite's other tests read the platform pages in the browser's language, as before.
        stack.sql(f"UPDATE platform.platform_admins SET locale = NULL WHERE email = '{PLATFORM_ADMIN}'")
