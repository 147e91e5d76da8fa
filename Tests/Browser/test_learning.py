"""Lessons in a real browser: Dogbo's partner coordinator writes what Dogbo learnt on a 360 px phone in French
(refused once, the message beside the field), and finds it on the activity's page; a coordinator of Roeselare
shares it with the edit form's checkbox, and a coordinator of Leuven finds it in the library in Dutch by
"burgerlijke stand". axe-core passes on each page; the lesson forms are weighed and measured as the quality walk
does."""

from selenium.webdriver.common.by import By

import harness
import page_list
from pages import error_summary_fields, fill, html_lang, partnership_ids
from test_quality import Checked


def _activity_of_dogbo(stack, title):
    """A new activity of Roeselare–Dogbo (the partner coordinator's partnership), recorded by its coordinator."""
    coordinator = stack.user("coordinator", "roeselare")
    partner = stack.user("partner_coordinator", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, partner["token"]))
    return harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {"title": title, "kind": "knowledge_exchange", "direction": "south_to_north"},
    )["id"].lower()


def test_partner_writes_on_a_phone_in_french(stack, phone_360_fr):
    activity = _activity_of_dogbo(stack, "Échange en ligne sur la crise (browser suite, leçons)")
    partner = stack.user("partner_coordinator", "roeselare")
    harness.sign_in(phone_360_fr, partner["email"])
    harness.visit(phone_360_fr, f"/activities/{activity}")
    assert html_lang(phone_360_fr) == "fr"
    assert phone_360_fr.find_element(By.ID, "lessons-heading").text == "Ce que nous avons appris"
    phone_360_fr.find_element(By.ID, "write-lesson").click()
    harness.wait_for_path(phone_360_fr, lambda path: path == f"/activities/{activity}/lessons/new", "the form")
    # The side is Dogbo's, said, not chosen.
    assert phone_360_fr.find_element(By.ID, "side-fixed").text == "Dogbo (commune partenaire)"
    assert not phone_360_fr.find_elements(By.CSS_SELECTOR, 'input[type="radio"]')
    assert phone_360_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    # A title alone: refused, each message beside its field in French, the title kept; axe with the error shown.
    fill(phone_360_fr, "title", "L'acte de naissance numérique")
    harness.forget_statuses(phone_360_fr)
    harness.submit(phone_360_fr, "form:has(#save-lesson)")
    assert harness.status_of_page(phone_360_fr) == 422
    assert error_summary_fields(phone_360_fr) == ["body", "policyDomain"]
    assert phone_360_fr.find_element(By.ID, "body-error").text.startswith("Écrivez ce qui a été appris")
    assert phone_360_fr.find_element(By.ID, "title").get_attribute("value") == "L'acte de naissance numérique"
    assert phone_360_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_360_fr)
    harness.screenshot(phone_360_fr, "lesson-form-phone-fr")

    fill(phone_360_fr, "body", "Les registres en ligne ont tenu pendant la crise, jusque dans les villages.")
    fill(phone_360_fr, "policyDomain", "civil_registry")
    fill(phone_360_fr, "themes", "covid-19")
    fill(phone_360_fr, "sdgTargets", "16.9")
    harness.submit(phone_360_fr, "form:has(#save-lesson)")
    harness.wait_for_path(phone_360_fr, lambda path: path == f"/activities/{activity}", "the activity's page")
    fragment = phone_360_fr.current_url.split("#", 1)[1]
    assert fragment.startswith("lesson-"), phone_360_fr.current_url
    lesson = fragment[len("lesson-") :]

    # In Dogbo's list, in French, with its language and its links.
    heading = phone_360_fr.find_element(By.ID, "lessons-partner_municipality")
    assert heading.text == "Ce que Dogbo a appris"
    item = phone_360_fr.find_element(By.ID, f"lesson-{lesson}")
    assert item.find_element(By.XPATH, "preceding::h3[1]").get_attribute("id") == "lessons-partner_municipality"
    assert item.find_element(By.TAG_NAME, "h4").text == "L'acte de naissance numérique"
    assert item.find_element(By.CSS_SELECTOR, ".update-body").get_attribute("lang") == "fr"
    assert "état civil" in item.text and "16.9" in item.text
    assert item.find_elements(By.CSS_SELECTOR, f'a[href="/lessons/{lesson}/edit"]')
    assert phone_360_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_360_fr)
    harness.screenshot(phone_360_fr, "activity-lessons-phone-fr")

    # The lesson forms weigh at most 60 KB and fit the phone, as the quality walk checks every page.
    checked = Checked(phone_360_fr)
    for path, _ in page_list.lesson_pages(activity, lesson):
        harness.forget_statuses(phone_360_fr)
        checked.page(path)
        harness.axe_check(phone_360_fr)


def test_library_search_in_dutch(stack, browser):
    activity = _activity_of_dogbo(stack, "Online exchange on crisis practice (browser suite, library)")
    partner = stack.user("partner_coordinator", "roeselare")
    title = "Le registre des naissances sur tablette (browser suite)"
    lesson = harness.api(
        stack,
        "POST",
        f"/activities/{activity}/lessons",
        partner["token"],
        {
            "title": title,
            "body": "La mairie enregistre les naissances sur une tablette, même sans réseau.",
            "side": "partner_municipality",
            "policyDomain": "civil_registry",
            "language": "fr",
        },
    )["id"].lower()

    # Roeselare's coordinator shares it with the edit form's checkbox.
    coordinator = stack.user("coordinator", "roeselare")
    harness.sign_in(browser, coordinator["email"])
    harness.visit(browser, f"/lessons/{lesson}/edit")
    assert browser.find_element(By.ID, "partner-words")
    box = browser.find_element(By.ID, "shared")
    assert not box.is_selected()
    harness.axe_check(browser)
    browser.find_element(By.CSS_SELECTOR, 'label[for="shared"]').click()
    harness.submit(browser, "form:has(#save-lesson)")
    harness.wait_for_path(browser, lambda path: path == f"/activities/{activity}", "the activity's page")
    item = browser.find_element(By.ID, f"lesson-{lesson}")
    assert "Gedeeld met de andere gemeenten" in item.text

    # Leuven's coordinator, in Dutch, searches the library.
    other = harness.new_browser(stack)
    try:
        leuven = stack.user("coordinator", "leuven")
        harness.sign_in(other, leuven["email"])
        harness.visit(other, "/library")
        assert html_lang(other) == "nl"
        fill(other, "q", "burgerlijke stand")
        # The same path before and after: wait for the page to be replaced, not for the path.
        harness.submit(other, 'form[action="/library"]')
        found = other.find_element(By.ID, f"lesson-{lesson}")
        assert found.find_element(By.TAG_NAME, "h3").text == title
        assert "Roeselare" in found.text and "Geleerd door Dogbo" in found.text
        assert "burgerlijke stand" in found.text
        assert "partnercoördinator" in found.text
        harness.axe_check(other)
        found.find_element(By.CSS_SELECTOR, f'a[href="/library/lessons/{lesson}"]').click()
        harness.wait_for_path(other, lambda path: path == f"/library/lessons/{lesson}", "the lesson")
        assert other.find_element(By.TAG_NAME, "h1").text == title
        harness.axe_check(other)
    finally:
        other.quit()
