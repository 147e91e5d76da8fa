"""The digest settings on /settings: a weekly digest on a chosen day and hour, a muted partnership, kept after a
reload; a refused webhook address shown beside its field."""

from selenium.webdriver.common.by import By

import harness
from pages import error_summary_fields, field_value, fill, html_lang, partnership_ids

SECTION_FORM = 'form[action="/settings/notifications"]'

# What the page says about an http:// webhook address, by the page's language.
WEBHOOK_FORM_MESSAGE = {
    "en": "Enter an https address",
    "nl": "Vul een https-adres in",
    "fr": "Saisissez une adresse https",
    "es": "Escriba una dirección https",
}


def _mute_box(browser, partnership):
    return browser.find_element(By.CSS_SELECTOR, f'{SECTION_FORM} input[name="mutedPartnerships"][value="{partnership}"]')


def test_settings_weekly_digest_and_muted_partnership_are_kept(stack, browser):
    # Leuven's partner coordinator: each address gets only a few sign-in links at once (docs/pages.md).
    partner = stack.user("partner_coordinator", "leuven")
    own = partnership_ids(stack, partner["token"])
    assert own
    theirs = sorted(own)[0]
    harness.sign_in(browser, partner["email"])
    harness.visit(browser, "/settings")
    # A partner coordinator is offered only their own partnerships to mute.
    offered = {box.get_attribute("value") for box in browser.find_elements(By.NAME, "mutedPartnerships")}
    assert offered == own
    fill(browser, "frequency", "weekly")
    fill(browser, "weekday", "4")
    fill(browser, "hour", "7")
    box = _mute_box(browser, theirs)
    if not box.is_selected():
        browser.find_element(By.CSS_SELECTOR, f'label[for="{box.get_attribute("id")}"]').click()
    assert box.is_selected()
    harness.submit(browser, SECTION_FORM)
    assert harness.current_path(browser) == "/settings"
    browser.refresh()
    assert field_value(browser, "frequency") == "weekly"
    assert field_value(browser, "weekday") == "4"
    assert field_value(browser, "hour") == "7"
    assert _mute_box(browser, theirs).is_selected()
    saved = harness.api(stack, "GET", "/me/notifications", partner["token"])
    assert (saved["frequency"], saved["weekday"], saved["hour"]) == ("weekly", 4, 7)
    assert [muted.lower() for muted in saved["mutedPartnerships"]] == [theirs]
    harness.axe_check(browser)
    # Unmuted again, so other tests' digests are as before.
    browser.find_element(By.CSS_SELECTOR, f'label[for="{_mute_box(browser, theirs).get_attribute("id")}"]').click()
    harness.submit(browser, SECTION_FORM)
    assert harness.api(stack, "GET", "/me/notifications", partner["token"])["mutedPartnerships"] == []


def test_settings_refused_webhook_address_is_shown_beside_its_field(stack, browser):
    coordinator = stack.user("admin", "leuven")
    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, "/settings")
    fill(browser, "webhook.url", "http://hooks.example.org/digest")
    harness.forget_statuses(browser)
    harness.submit(browser, SECTION_FORM)
    assert harness.status_of_page(browser) == 422
    message = browser.find_element(By.ID, "webhook-url-error")
    assert message.is_displayed()
    assert message.text.startswith(WEBHOOK_FORM_MESSAGE[html_lang(browser)])
    assert error_summary_fields(browser) == ["webhook-url"]
    assert field_value(browser, "webhook.url") == "http://hooks.example.org/digest"
    assert "webhook-url-error" in browser.find_element(By.ID, "webhook-url").get_attribute("aria-describedby")
    harness.axe_check(browser)
    assert harness.api(stack, "GET", "/me/notifications", coordinator["token"]).get("webhook") is None
