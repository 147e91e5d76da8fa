"""Signing in and out as a person does: the mailed link, its confirm button, `next`, sign-out."""

import urllib.parse

import pytest
from selenium.webdriver.common.by import By

import harness
from pages import html_lang, partnership_ids, partnership_ids_linked


def _status_of_link(browser, link):
    """The status a mailed link answers with: on opening it, or, should its confirm page come first (which
    the contract allows), on pressing the button."""
    harness.forget_statuses(browser)
    browser.get(link)
    status = harness.status_of_page(browser)
    if status == 200 and browser.find_elements(By.ID, "confirm-sign-in"):
        harness.submit(browser, "form:has(#confirm-sign-in)")
        status = harness.status_of_page(browser)
    return status


def test_the_dashboard_asks_for_sign_in_first(stack, browser):
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/sign-in"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query.get("next") == ["/"]


def test_the_mailed_link_signs_in_and_the_dashboard_lists_the_coordinators_partnerships(stack, browser):
    coordinator = stack.user("coordinator", "sint-niklaas")
    harness.sign_in(browser, coordinator["email"])
    assert harness.current_path(browser) == "/"
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text.strip()
    expected = partnership_ids(stack, coordinator["token"])
    assert expected, "the demo coordinator should have a partnership"
    assert partnership_ids_linked(browser) == expected
    assert html_lang(browser) == "nl"  # the demo coordinator's language


def test_a_used_link_signs_nobody_in(stack, browser):
    coordinator = stack.user("coordinator", "leuven")
    link = harness.sign_in(browser, coordinator["email"])
    assert harness.current_path(browser) == "/"
    browser.delete_all_cookies()
    assert _status_of_link(browser, link) == 410
    back = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a[href]")]
    assert any(urllib.parse.urlsplit(href).path == "/sign-in" for href in back), back
    harness.axe_check(browser)
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/sign-in"


def test_an_unknown_link_is_404_and_signs_nobody_in(stack, browser):
    assert _status_of_link(browser, stack.url + "/sign-in/link/" + "A" * 43) == 404
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/sign-in"


def test_an_expired_link_signs_nobody_in(stack, browser):
    partner = stack.user("partner_coordinator", "sint-niklaas")
    link = harness.sign_in_link(browser, partner["email"])
    # Fifteen minutes cannot pass in a test: the link's expiry is moved into the past in the database.
    expired = stack.sql(
        "UPDATE platform.sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL"
        f" AND user_id IN (SELECT id FROM platform.users WHERE email = '{partner['email']}') RETURNING id"
    )
    assert expired.strip(), "no unused link of the partner coordinator to expire"
    assert _status_of_link(browser, link) == 410
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/sign-in"


@pytest.mark.parametrize(
    ("user", "next_path"),
    [
        (("coordinator", "herent"), "https://elsewhere.example/"),
        (("partner_coordinator", "herent"), "//elsewhere.example/"),
    ],
    ids=["absolute", "scheme-relative"],
)
def test_next_never_leaves_the_site(stack, browser, user, next_path):
    person = stack.user(*user)
    harness.sign_in(browser, person["email"], next_path=next_path)
    address = urllib.parse.urlsplit(browser.current_url)
    assert (address.scheme, address.netloc) == tuple(urllib.parse.urlsplit(stack.url)[:2]), browser.current_url
    assert address.path == "/"


def test_next_leads_to_a_page_of_the_site(stack, browser):
    person = stack.user("partner_coordinator", "leuven")
    harness.sign_in(browser, person["email"], next_path="/settings")
    assert harness.current_path(browser) == "/settings"


def test_sign_out_ends_the_session_on_the_server(stack, browser):
    admin = stack.user("admin", "herent")
    harness.sign_in(browser, admin["email"])
    assert harness.current_path(browser) == "/"
    session = browser.get_cookie(harness.SESSION_COOKIE)
    assert session is not None
    harness.submit(browser, 'form[action="/sign-out"]')
    assert harness.current_path(browser) == "/sign-in"
    browser.back()
    browser.refresh()
    assert harness.current_path(browser) == "/sign-in"
    # The old cookie, put back by hand, opens nothing: the session ended on the server, not only in the browser.
    browser.add_cookie(
        {"name": session["name"], "value": session["value"], "path": "/", "httpOnly": True, "sameSite": "Lax"}
    )
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/sign-in"


def test_sign_out_everywhere_ends_the_other_browsers_session(stack, browser):
    coordinator = stack.user("coordinator", "roeselare")
    other = harness.new_browser(stack)
    try:
        harness.sign_in(other, coordinator["email"])
        assert harness.current_path(other) == "/"
        harness.sign_in(browser, coordinator["email"], next_path="/settings")
        assert harness.current_path(browser) == "/settings"
        harness.submit(browser, 'form[action="/settings/sessions/end-all"]')
        harness.visit(other, "/")
        assert harness.current_path(other) == "/sign-in"
    finally:
        other.quit()
