"""What protects a signed-in person: CSRF tokens on forms, the session cookie's flags."""

from selenium.webdriver.common.by import By

import harness


def _sign_out_form_posted(browser, change):
    """Posts the header's sign-out form after `change` (JavaScript run on the form); returns the status."""
    harness.visit(browser, "/")
    browser.execute_script(change, browser.find_element(By.CSS_SELECTOR, 'form[action="/sign-out"]'))
    harness.forget_statuses(browser)
    harness.submit(browser, 'form[action="/sign-out"]')
    return harness.status_of_page(browser)


def test_a_form_posted_without_its_csrf_token_is_refused(stack, browser):
    admin = stack.user("admin", "sint-niklaas")
    harness.sign_in(browser, admin["email"])
    assert harness.current_path(browser) == "/"
    assert _sign_out_form_posted(browser, "arguments[0].querySelector('input[name=csrf]').remove()") == 403
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text.strip()
    harness.axe_check(browser)
    assert _sign_out_form_posted(browser, "arguments[0].querySelector('input[name=csrf]').value = 'forged'") == 403
    # Refused means nothing happened: still signed in.
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/"


def test_the_session_cookie_is_http_only_and_same_site_lax(stack, browser):
    admin = stack.user("admin", "leuven")
    harness.sign_in(browser, admin["email"])
    cookie = browser.get_cookie(harness.SESSION_COOKIE)
    assert cookie is not None, browser.get_cookies()
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["secure"] is False  # PUBLIC_URL is http here; https gets Secure and __Host- (Swift tests)
    assert harness.SESSION_COOKIE not in browser.execute_script("return document.cookie")
