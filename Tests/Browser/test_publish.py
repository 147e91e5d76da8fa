"""A coordinator publishes a partnership on the showcase from its edit form, on a phone, in their own Dutch."""

from selenium.webdriver.common.by import By

import harness
from pages import error_summary_fields, fill


def test_coordinator_publishes_a_partnership_with_its_story_on_a_phone(stack, phone_fr):
    coordinator = stack.user("coordinator", "roeselare")
    partnership = harness.api(
        stack,
        "POST",
        "/partnerships",
        coordinator["token"],
        {"title": "Roeselare–Ouidah (browser suite)", "partner": {"name": "Ouidah", "country": "BJ"}},
    )["id"].lower()
    harness.sign_in(phone_fr, coordinator["email"])
    harness.visit(phone_fr, f"/partnerships/{partnership}")
    assert not phone_fr.find_elements(By.ID, "public-address")

    harness.visit(phone_fr, f"/partnerships/{partnership}/edit")
    assert phone_fr.find_element(By.CSS_SELECTOR, 'label[for="published"]').text == (
        "Deze stedenband publiceren op de etalage"
    )
    box = phone_fr.find_element(By.ID, "published")
    assert not box.is_selected()
    harness.axe_check(phone_fr)

    # Too long a story: refused, the message beside it, the tick and the text kept.
    story = phone_fr.find_element(By.ID, "story")
    phone_fr.execute_script("arguments[0].value = arguments[1]", story, "x" * 5_001)
    phone_fr.find_element(By.CSS_SELECTOR, 'label[for="published"]').click()
    harness.submit(phone_fr, "form[action$='/edit']")
    assert error_summary_fields(phone_fr) == ["story"]
    assert "5.000" in phone_fr.find_element(By.ID, "story-error").text
    assert phone_fr.find_element(By.ID, "published").is_selected()
    assert len(phone_fr.find_element(By.ID, "story").get_attribute("value")) == 5_001
    harness.axe_check(phone_fr)

    fill(phone_fr, "story", "Roeselare et Ouidah apprennent l'une de l'autre.")
    harness.submit(phone_fr, "form[action$='/edit']")
    assert harness.current_path(phone_fr) == f"/partnerships/{partnership}"
    assert phone_fr.find_element(By.ID, "public-address").text == "/showcase/roeselare/ouidah"
    assert "Roeselare et Ouidah apprennent l'une de l'autre." in phone_fr.find_element(By.TAG_NAME, "main").text
    assert phone_fr.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    harness.axe_check(phone_fr)
    # The French page of the same partnership names the field in French.
    harness.visit(phone_fr, f"/partnerships/{partnership}/edit?lang=fr")
    assert phone_fr.find_element(By.CSS_SELECTOR, 'label[for="published"]').text == (
        "Publier ce partenariat dans la vitrine"
    )
    assert phone_fr.find_element(By.ID, "published").is_selected()

    stored = harness.api(stack, "GET", f"/partnerships/{partnership}", coordinator["token"])
    assert stored["published"] is True and stored["slug"] == "ouidah"
