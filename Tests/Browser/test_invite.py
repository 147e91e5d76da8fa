"""Invitations: a coordinator invites a partner coordinator in French from a partnership's members page; the
invitee accepts on a phone and sees that partnership only. The administrators' users page, checked with axe."""

import re
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import harness
from pages import fill, html_lang, partnership_ids, partnership_ids_linked

# How the members page marks a member who has not yet signed in, by the page's language.
INVITED = {"en": "(Invited)", "nl": "(Uitgenodigd)", "fr": "(Invité)", "es": "(Invitado)"}


def test_coordinator_invites_a_partner_coordinator_who_accepts_on_a_phone_in_french(stack, browser, phone_fr):
    coordinator = stack.user("coordinator", "sint-niklaas")
    ids = sorted(partnership_ids(stack, coordinator["token"]))
    assert len(ids) >= 1
    if len(ids) == 1:  # a second partnership, to show the invitee does not see it
        created = harness.api(
            stack,
            "POST",
            "/partnerships",
            coordinator["token"],
            {"title": "Sint-Niklaas–Nioro (invite suite)", "partner": {"name": "Nioro", "country": "SN"}},
        )
        ids.append(created["id"].lower())
    partnership, other = ids[0], ids[1]
    invitee = f"partner-coordinator-{uuid.uuid4().hex[:8]}@tambacounda.example"

    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, f"/partnerships/{partnership}/members")
    form = f'form[action="/partnerships/{partnership}/members/invite"]'
    assert browser.find_elements(By.CSS_SELECTOR, form)
    harness.axe_check(browser)
    # The page has other forms with a role field: the invite form's fields are prefixed.
    browser.find_element(By.ID, "invite-email").send_keys(invitee)
    browser.find_element(By.ID, "invite-name").send_keys("Partner coordinator (invite suite)")
    Select(browser.find_element(By.ID, "invite-role")).select_by_value("partner_coordinator")
    Select(browser.find_element(By.ID, "invite-locale")).select_by_value("fr")
    mark = stack.mail.mark()
    harness.submit(browser, form)
    harness.wait_for_path(browser, lambda path: path == f"/partnerships/{partnership}/members", "the members page")
    assert "Partner coordinator (invite suite)" in browser.find_element(By.ID, "members").text
    # Not yet signed in: marked as invited, as /admin/users marks them.
    invited_row = browser.find_element(
        By.XPATH, "//table[@id='members']//tr[th[contains(., 'Partner coordinator (invite suite)')]]"
    )
    assert invited_row.find_element(By.CSS_SELECTOR, ".status-invited").text == INVITED[html_lang(browser)]

    message = stack.mail.wait_for(invitee, since=mark)
    assert "vous invite" in message["Subject"]
    text = harness.message_text(message)
    links = re.findall(re.escape(stack.url) + r"/invitations/[A-Za-z0-9_-]+", text)
    assert links, text

    phone_fr.get(links[0])
    assert phone_fr.execute_script("return window.innerWidth") == 390
    assert html_lang(phone_fr) == "fr"
    harness.axe_check(phone_fr)
    harness.submit(phone_fr, "form:has(#accept-invitation)")
    harness.wait_for_path(phone_fr, lambda path: not path.startswith("/invitations/"), "the page after accepting")
    assert harness.current_path(phone_fr) == f"/partnerships/{partnership}"
    assert html_lang(phone_fr) == "fr"
    # Signed in now: no longer marked on the members page.
    harness.visit(browser, f"/partnerships/{partnership}/members")
    row = browser.find_element(By.XPATH, "//table[@id='members']//tr[th[contains(., 'Partner coordinator (invite suite)')]]")
    assert not row.find_elements(By.CSS_SELECTOR, ".status-invited")
    harness.visit(phone_fr, "/")
    assert partnership_ids_linked(phone_fr) == {partnership}
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, f"/partnerships/{other}")
    assert harness.status_of_page(phone_fr) == 404
    # The link was used: opening it again is 410.
    harness.forget_statuses(phone_fr)
    phone_fr.get(links[0])
    assert harness.status_of_page(phone_fr) == 410


def test_administrators_users_page_is_accessible(stack, browser):
    admin = stack.user("admin", "sint-niklaas")
    harness.sign_in(browser, admin["email"])
    harness.forget_statuses(browser)
    harness.visit(browser, "/admin/users")
    assert harness.status_of_page(browser) == 200
    rows = browser.find_elements(By.CSS_SELECTOR, "#users tbody tr")
    assert any(admin["email"] in row.text for row in rows)
    assert browser.find_elements(By.CSS_SELECTOR, 'form[action="/admin/users"] #send-invitation')
    harness.axe_check(browser)
    browser.execute_script("document.querySelectorAll('.table-wrap').forEach(wrap => { wrap.scrollLeft = 0 })")
    harness.screenshot(browser, "admin-users")
    # Refused: the summary links to the fields, the messages are beside them.
    fill(browser, "email", "not-an-address")
    harness.submit(browser, 'form[action="/admin/users"]')
    assert browser.find_element(By.ID, "email-error").is_displayed()
    harness.axe_check(browser)


def test_a_coordinator_gets_403_on_the_users_page(stack, browser):
    harness.sign_in(browser, stack.user("coordinator", "sint-niklaas")["email"])
    harness.forget_statuses(browser)
    harness.visit(browser, "/admin/users")
    assert harness.status_of_page(browser) == 403
