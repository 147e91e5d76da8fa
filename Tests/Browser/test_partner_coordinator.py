"""The partner coordinator on a phone in French: their partnership only, and nobody else's."""

from selenium.webdriver.common.by import By

import harness
from pages import fill, html_lang, partnership_ids, partnership_ids_linked


def _other_partnership_in_roeselare(stack):
    """A second partnership of Roeselare that the partner coordinator is no member of (made once)."""
    if not hasattr(stack, "roeselare_other"):
        coordinator = stack.user("coordinator", "roeselare")
        created = harness.api(
            stack,
            "POST",
            "/partnerships",
            coordinator["token"],
            {"title": "Roeselare–Dogbo (browser suite)", "partner": {"name": "Dogbo", "country": "BJ"}},
        )
        stack.roeselare_other = created["id"].lower()
    return stack.roeselare_other


def test_partner_coordinator_in_french_on_a_phone_sees_only_their_partnership(stack, phone_fr):
    other = _other_partnership_in_roeselare(stack)
    partner = stack.user("partner_coordinator", "roeselare")
    theirs = partnership_ids(stack, partner["token"])
    assert theirs and other not in theirs
    harness.visit(phone_fr, "/sign-in")
    assert phone_fr.execute_script("return window.innerWidth") == 390
    assert html_lang(phone_fr) == "fr"  # a visitor's page follows Accept-Language (docs/pages.md)
    harness.sign_in(phone_fr, partner["email"])
    assert harness.current_path(phone_fr) == "/"
    assert html_lang(phone_fr) == "fr"
    assert partnership_ids_linked(phone_fr) == theirs
    # Mobile first: nothing wider than the phone's screen.
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "dashboard-phone-fr")


def test_partner_coordinator_gets_404_on_another_partnerships_page(stack, phone_fr):
    other = _other_partnership_in_roeselare(stack)
    elsewhere = partnership_ids(stack, stack.user("coordinator", "sint-niklaas")["token"])
    partner = stack.user("partner_coordinator", "roeselare")
    (theirs,) = partnership_ids(stack, partner["token"])
    harness.sign_in(phone_fr, partner["email"])
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, f"/partnerships/{theirs}")
    assert harness.status_of_page(phone_fr) == 200  # so the 404s below are about permission, not a missing page
    assert html_lang(phone_fr) == "fr"
    for forbidden in [other, *elsewhere]:
        harness.visit(phone_fr, f"/partnerships/{forbidden}")
        assert harness.status_of_page(phone_fr) == 404, forbidden
        assert other not in phone_fr.find_element(By.TAG_NAME, "body").text


def _activity_in(stack, partnership):
    """An activity of the partner coordinator's partnership, recorded by Roeselare's coordinator (made once)."""
    if not hasattr(stack, "roeselare_partner_activity"):
        coordinator = stack.user("coordinator", "roeselare")
        created = harness.api(
            stack,
            "POST",
            f"/partnerships/{partnership}/activities",
            coordinator["token"],
            {"title": "Échange d'enseignants (browser suite)", "kind": "knowledge_exchange", "direction": "mutual"},
        )
        stack.roeselare_partner_activity = created["id"].lower()
    return stack.roeselare_partner_activity


def test_partner_coordinator_in_french_on_a_phone_posts_an_update(stack, phone_fr):
    partner = stack.user("partner_coordinator", "roeselare")
    (theirs,) = partnership_ids(stack, partner["token"])
    activity = _activity_in(stack, theirs)
    # The page's sign-in was shown by the tests above; this person signs in by the suite more often than an
    # address may ask the page for links at once.
    harness.sign_in_by_command(phone_fr, partner["email"])
    harness.visit(phone_fr, f"/partnerships/{theirs}")
    assert html_lang(phone_fr) == "fr"
    # They record nothing and edit nothing: no such links on their partnership's page.
    assert not phone_fr.find_elements(By.ID, "record-activity")
    assert not phone_fr.find_elements(By.ID, "edit-partnership")
    assert phone_fr.find_elements(By.CSS_SELECTOR, f'main a[href="/activities/{activity}"]')
    harness.visit(phone_fr, f"/activities/{activity}")
    assert html_lang(phone_fr) == "fr"
    assert not phone_fr.find_elements(By.ID, "edit-activity")
    text = "Les enseignants de Dogbo sont bien partis pour Roeselare."
    fill(phone_fr, "body", text)
    harness.submit(phone_fr, f'form[action="/activities/{activity}/updates"]')
    assert harness.current_path(phone_fr) == f"/activities/{activity}"
    assert text in phone_fr.find_element(By.CSS_SELECTOR, "ol.updates").text
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    bodies = [item["body"] for item in harness.api(stack, "GET", f"/activities/{activity}/updates", partner["token"])["items"]]
    assert text in bodies
    # The edit form is refused to them, as the API refuses the PATCH.
    harness.forget_statuses(phone_fr)
    harness.visit(phone_fr, f"/activities/{activity}/edit")
    assert harness.status_of_page(phone_fr) == 403
    harness.axe_check(phone_fr)
    harness.visit(phone_fr, f"/activities/{activity}")
    harness.axe_check(phone_fr)
    harness.screenshot(phone_fr, "activity-phone-fr")
