"""axe-core finds no serious or critical violation on the sign-in pages, the dashboard and the settings."""

import harness


def test_sign_in_pages_dashboard_and_settings_pass_axe(stack, browser):
    admin = stack.user("admin", "roeselare")
    harness.visit(browser, "/sign-in")
    harness.axe_check(browser)
    harness.screenshot(browser, "sign-in")
    link = harness.sign_in_link(browser, admin["email"])
    assert harness.current_path(browser) == "/sign-in/sent"
    harness.axe_check(browser)
    harness.screenshot(browser, "sign-in-sent")
    browser.get(link)
    harness.axe_check(browser)
    harness.screenshot(browser, "sign-in-confirm")
    harness.confirm_sign_in(browser, link)
    assert harness.current_path(browser) == "/"
    harness.axe_check(browser)
    harness.screenshot(browser, "dashboard")
    harness.visit(browser, "/settings")
    assert harness.current_path(browser) == "/settings"
    harness.axe_check(browser)
    harness.screenshot(browser, "settings")
