"""The public showcase in a real browser, signed out: every page in the four languages, on a desktop and on the
narrowest phone, passes axe-core and fits the screen; a published lesson shows in its own language, and the
Atom feed a reader follows holds it."""

import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree

import pytest
from selenium.webdriver.common.by import By

import harness

LANGUAGES = ("nl", "en", "fr", "es")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(stack):
    """Roeselare publishes a partnership of its own with a lesson from each side, as a coordinator does through
    the API; returns the partnership's public slug and the two lesson titles once the showcase shows them."""
    coordinator = stack.user("coordinator", "roeselare")
    token = coordinator["token"]
    partnership = harness.api(
        stack,
        "POST",
        "/partnerships",
        token,
        {"title": "Roeselare–Kétou (showcase suite)", "partner": {"name": "Kétou", "country": "BJ"}},
    )["id"]
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        token,
        {
            "title": "Échange sur l'état civil (showcase suite)",
            "kind": "knowledge_exchange",
            "direction": "mutual",
            "startsOn": "2020-05-14",
            "sdgTargets": ["16.9", "3.8"],
            "participants": 30,
            "budget": {"planned": "900.00", "spent": "850.00", "currency": "EUR"},
        },
    )["id"]
    titles = {}
    for side, language, title, body in (
        ("partner_municipality", "fr", "Les actes de naissance en ligne", "Les registres numériques ont tenu."),
        ("flemish_municipality", "nl", "Mobiele loketten", "Kétou bracht de dienst naar de dorpen."),
    ):
        lesson = harness.api(
            stack,
            "POST",
            f"/activities/{activity}/lessons",
            token,
            {"title": title, "body": body, "side": side, "policyDomain": "civil_registry", "language": language},
        )
        harness.api(stack, "PATCH", f"/lessons/{lesson['id']}", token, {"shared": True, "published": True})
        titles[language] = title
    slug = harness.api(
        stack,
        "PATCH",
        f"/partnerships/{partnership}",
        token,
        {"published": True, "story": "Roeselare en Kétou leren van elkaar.\nSinds 2020 ook online."},
    )["slug"]
    # The showcase reads the read model, which the queue's workers keep: wait until the page holds both lessons.
    path = f"/showcase/roeselare/{slug}"
    harness.poll(f"{path} with its lessons", lambda: all(title in page_text(stack, path) for title in titles.values()))
    return slug, titles


def page_text(stack, path):
    """The body of a public page, as a client without cookies reads it; empty while it is not there."""
    request = urllib.request.Request(stack.url + path, headers={"X-Forwarded-For": "198.51.100.250"})
    try:
        with urllib.request.urlopen(request, timeout=harness.WAIT) as response:
            return response.read().decode()
    except urllib.error.HTTPError:
        return ""


@pytest.mark.parametrize("width", [1280, 360])
def test_every_showcase_page_in_every_language_passes_axe_and_fits(stack, published, width):
    slug, titles = published
    for language in LANGUAGES:
        # A browser per language: a new visitor, from an address of its own (the public pages' limit is per
        # address), that never signed in.
        browser = harness.new_browser(stack, width=width, height=800, language=language, phone=width < 500)
        try:
            for path in ("/showcase", "/showcase/roeselare", f"/showcase/roeselare/{slug}"):
                harness.forget_statuses(browser)
                harness.visit(browser, f"{path}?lang={language}")
                assert harness.status_of_page(browser) == 200, path
                assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
                harness.axe_check(browser)
                assert harness.widest_element(browser, width) is None, (path, harness.widest_element(browser, width))
                feeds = browser.find_elements(
                    By.CSS_SELECTOR, 'head link[rel="alternate"][type="application/atom+xml"]'
                )
                assert len(feeds) == (0 if path.endswith(slug) else 1), path
            # The partnership's page: each lesson in its own language, under the side that learnt it.
            for side, lesson_language in (("partner_municipality", "fr"), ("flemish_municipality", "nl")):
                selector = f'section[aria-labelledby="lessons-{side}"] div[lang="{lesson_language}"]'
                assert titles[lesson_language] in browser.find_element(By.CSS_SELECTOR, selector).text
            # Nothing of a session: no cookie was ever set.
            assert browser.get_cookies() == []
        finally:
            browser.quit()


def test_the_feed_a_reader_follows_holds_the_lesson(stack, published):
    slug, titles = published
    feed = ElementTree.fromstring(page_text(stack, "/showcase/roeselare/feed.atom?lang=fr"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Nouvelles leçons de Roeselare"
    entries = {entry.find(f"{ATOM}title").text: entry for entry in feed.findall(f"{ATOM}entry")}
    lesson = entries[titles["fr"]]
    link = lesson.find(f"{ATOM}link").get("href")
    assert f"/showcase/roeselare/{slug}?lang=fr#lesson-" in link
    assert lesson.find(f"{ATOM}author/{ATOM}name").text == "Kétou"
    # The link opens the lesson on its partnership's page.
    browser = harness.new_browser(stack, language="fr")
    try:
        harness.visit(browser, "/showcase" + link.split("/showcase", 1)[1])
        anchor = link.rsplit("#", 1)[1]
        assert titles["fr"] in browser.find_element(By.ID, anchor).text
    finally:
        browser.quit()
