"""The administrators' pages as people use them: a municipality's administrator sets its IATI organisation on
/admin/municipality, and a platform administrator signs in by the mailed link and adds a municipality on
/platform."""

import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import harness
from pages import error_summary_fields, field_value, fill

PLATFORM_ADMIN = "platform@stedenband.demo.invalid"  # made by `stedenband demo`
CLIENT_ID = "stedenband-admin-page"


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


def test_an_administrator_sets_the_identity_provider_and_the_digest_defaults(stack, browser):
    """The provider is set from the page (an unreachable issuer refused beside its field first), someone signs in
    through it, the digest defaults change, and the provider is removed again from the page."""
    from test_oidc import Provider, _authorize_as  # the OpenID provider test_oidc.py starts, oidc-provider-mock

    admin = stack.user("admin", "herent")
    provider = Provider([{"sub": "admin", "email": admin["email"], "email_verified": True}])
    defaults_before = stack.sql(
        "SELECT d.frequency || ' ' || d.hour || ' ' || d.weekday FROM notifications.tenant_defaults d "
        "JOIN platform.tenants t ON t.id = d.tenant_id WHERE t.slug = 'herent'"
    ).strip()
    try:
        harness.sign_in(browser, admin["email"], next_path="/admin/municipality")
        harness.visit(browser, "/admin/municipality")
        redirect = browser.find_element(By.ID, "redirect-uri").text
        assert redirect == f"{stack.url}/sign-in/oidc/herent/callback", redirect
        assert not browser.find_elements(By.ID, "remove-identity-provider")

        # An issuer nobody answers at: refused beside the field, typed values kept, the secret not sent back.
        fill(browser, "oidcIssuer", "http://127.0.0.1:9")
        fill(browser, "oidcClientId", CLIENT_ID)
        fill(browser, "oidcClientSecret", "browser-admin-secret")
        harness.forget_statuses(browser)
        harness.submit(browser, 'form[action="/admin/municipality/identity-provider"]')
        assert harness.status_of_page(browser) == 422
        assert error_summary_fields(browser) == ["oidcIssuer"]
        message = browser.find_element(By.ID, "oidcIssuer-error").text
        assert "niet bereikbaar" in message, message  # the administrator's own language, Dutch
        assert field_value(browser, "oidcIssuer") == "http://127.0.0.1:9"
        assert field_value(browser, "oidcClientId") == CLIENT_ID
        assert field_value(browser, "oidcClientSecret") == ""
        assert "browser-admin-secret" not in browser.page_source
        harness.axe_check(browser)

        fill(browser, "oidcIssuer", provider.issuer)
        fill(browser, "oidcClientSecret", "browser-admin-secret")
        harness.submit(browser, 'form[action="/admin/municipality/identity-provider"]')
        harness.wait_for_path(browser, lambda path: path == "/admin/municipality", "/admin/municipality")
        assert browser.find_elements(By.ID, "saved")
        assert field_value(browser, "oidcIssuer") == provider.issuer
        assert field_value(browser, "oidcClientSecret") == ""
        assert "browser-admin-secret" not in browser.page_source
        assert browser.find_elements(By.ID, "remove-identity-provider")
        harness.screenshot(browser, "admin-municipality-identity-provider")

        # Signed out, the administrator comes back through "Sign in with Herent" and the saved provider.
        harness.submit(browser, 'form[action="/sign-out"]')
        harness.visit(browser, "/sign-in?next=/admin/municipality")
        browser.find_element(By.ID, "sign-in-with-herent").click()
        WebDriverWait(browser, harness.WAIT).until(
            lambda driver: driver.current_url.startswith(provider.issuer + "/"), "waiting for the provider's form"
        )
        _authorize_as(browser, "admin")
        assert harness.current_path(browser) == "/admin/municipality", browser.current_url
        assert browser.find_elements(By.ID, "sign-out"), "signed in through the provider"

        # The digest defaults, in the section the Notifications plugin adds.
        fill(browser, "frequency", "weekly")
        fill(browser, "hour", "9")
        fill(browser, "weekday", "4")
        harness.submit(browser, 'form[action="/admin/municipality/notifications"]')
        harness.wait_for_path(browser, lambda path: path == "/admin/municipality", "/admin/municipality")
        assert browser.find_elements(By.ID, "saved")
        assert [field_value(browser, name) for name in ("frequency", "hour", "weekday")] == ["weekly", "9", "4"]
        saved = stack.sql(
            "SELECT d.frequency || ' ' || d.hour || ' ' || d.weekday FROM notifications.tenant_defaults d "
            "JOIN platform.tenants t ON t.id = d.tenant_id WHERE t.slug = 'herent'"
        )
        assert saved.strip() == "weekly 9 4", saved
        harness.axe_check(browser)

        # Removed from the page: the sign-in page offers Herent's provider no more.
        harness.submit(browser, 'form[action="/admin/municipality/identity-provider/remove"]')
        harness.wait_for_path(browser, lambda path: path == "/admin/municipality", "/admin/municipality")
        assert browser.find_elements(By.ID, "saved")
        assert not browser.find_elements(By.ID, "remove-identity-provider")
        assert field_value(browser, "oidcIssuer") == ""
        stored = stack.sql("SELECT count(*) FROM platform.oidc_providers p JOIN platform.tenants t ON t.id = p.tenant_id "
                           "WHERE t.slug = 'herent'")
        assert stored.strip() == "0", stored
    finally:
        harness.stedenband(stack, "tenant", "set", "herent", "--remove-oidc")
        if defaults_before:
            frequency, hour, weekday = defaults_before.split(" ")
            stack.sql(
                f"UPDATE notifications.tenant_defaults SET frequency = '{frequency}', hour = {int(hour)}, "
                f"weekday = {int(weekday)} FROM platform.tenants t WHERE t.id = tenant_id AND t.slug = 'herent'"
            )
        else:
            stack.sql(
                "DELETE FROM notifications.tenant_defaults USING platform.tenants t "
                "WHERE t.id = tenant_id AND t.slug = 'herent'"
            )
        provider.stop()
