"""Issue 18's "Done when", tried in a real browser as the people would: Dogbo's partner coordinator writes what
Dogbo learnt about digital birth registration on a phone in French; Roeselare's coordinator shares and
publishes it and publishes the partnership on their forms; a coordinator in Leuven finds it in the library by
"registre"; a visitor who never signed in opens Roeselare–Dogbo's showcase page; the platform administrator
opens the 2020 COVID-19 annex."""

from selenium.webdriver.common.by import By

import harness
from pages import fill, partnership_ids
from test_examples import PLATFORM_ADMIN

TITLE = "L'acte de naissance numérique (done when)"


def test_done_when(stack, phone_fr, browser):
    coordinator = stack.user("coordinator", "roeselare")
    partner = stack.user("partner_coordinator", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, partner["token"]))
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {
            "title": "Online exchange on digital birth registration (done when)",
            "kind": "knowledge_exchange",
            "direction": "south_to_north",
            "themes": ["covid-19"],
            "startsOn": "2020-05-14",
        },
    )["id"].lower()

    # Dogbo's partner coordinator writes the lesson, on a phone, in French.
    harness.sign_in(phone_fr, partner["email"])
    harness.visit(phone_fr, f"/activities/{activity}/lessons/new")
    fill(phone_fr, "title", TITLE)
    fill(phone_fr, "body", "Le registre en ligne a gardé les actes de naissance quand la mairie était fermée.")
    fill(phone_fr, "policyDomain", "civil_registry")
    harness.submit(phone_fr, "form:has(#save-lesson)")
    harness.wait_for_path(phone_fr, lambda path: path == f"/activities/{activity}", "the activity's page")
    lesson = phone_fr.current_url.split("#lesson-", 1)[1]

    # Roeselare's coordinator shares and publishes it, then publishes the partnership with its story.
    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, f"/lessons/{lesson}/edit")
    for box in ("shared", "published"):
        browser.find_element(By.CSS_SELECTOR, f'label[for="{box}"]').click()
    harness.submit(browser, "form:has(#save-lesson)")
    harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}", "the activity's page")
    harness.visit(browser, f"/partnerships/{partnership}/edit")
    if not browser.find_element(By.ID, "published").is_selected():
        browser.find_element(By.CSS_SELECTOR, 'label[for="published"]').click()
    fill(browser, "story", "Roeselare en Dogbo leren van elkaar, sinds 2010.")
    harness.submit(browser, "form[action$='/edit']")
    harness.wait_for_path(browser, lambda path: path == f"/partnerships/{partnership}", "the partnership's page")
    public_address = browser.find_element(By.ID, "public-address").text

    # A coordinator in Leuven, in Dutch, finds it by "registre".
    leuven = harness.new_browser(stack, language="nl")
    try:
        harness.sign_in(leuven, stack.user("coordinator", "leuven")["email"])
        harness.visit(leuven, "/library")
        fill(leuven, "q", "registre")
        harness.submit(leuven, 'form[action="/library"]')
        found = leuven.find_element(By.ID, f"lesson-{lesson}")
        assert TITLE in found.text and "Roeselare" in found.text and "Geleerd door Dogbo" in found.text
        harness.axe_check(leuven)
    finally:
        leuven.quit()

    # Anyone opens Roeselare–Dogbo's showcase page, without signing in: the lesson is there once the read model
    # has it.
    visitor = harness.new_browser(stack, language="fr")
    try:

        def lesson_on_the_showcase():
            harness.visit(visitor, public_address)
            return bool(visitor.find_elements(By.ID, f"lesson-{lesson}"))

        harness.poll("the lesson on the showcase", lesson_on_the_showcase, interval=0.5)
        assert "Ce que Dogbo a appris" in visitor.find_element(By.TAG_NAME, "main").text
        assert visitor.get_cookies() == []
        harness.axe_check(visitor)
    finally:
        visitor.quit()

    # The platform administrator opens the 2020 COVID-19 annex.
    admin = harness.new_browser(stack)
    try:
        harness.sign_in_platform_by_command(admin, PLATFORM_ADMIN)
        harness.visit(admin, "/platform/examples?theme=covid-19&year=2020&lang=en")
        text = admin.find_element(By.TAG_NAME, "body").text
        assert TITLE in text and "Online exchange on digital birth registration (done when)" in text
        harness.axe_check(admin)
    finally:
        admin.quit()
