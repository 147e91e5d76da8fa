"""Every page fits a 360 px phone and weighs at most 60 KB (issue 14: "mobile first, readable at 360 px wide; a
page weighs at most 60 KB before compression, charts excepted").

Each page the product has (page_list.py, shared with the accessibility test), opened by the person who sees it
(coordinator, administrator, partner coordinator, platform administrator, and signed out) in French on a
360 × 740 phone:

- the HTML as served, before compression (the bytes of the response, read from the browser's DevTools, not the
  DOM) is at most 60 KB, less its inline `<svg>…</svg>` charts: the dashboard's SDG chart and the reports'
  charts (their colour swatches are inline SVG too) are the "charts excepted";
- the stylesheet and any script, each on its own, are at most 60 KB;
- nothing is wider than the window (`document.documentElement.scrollWidth <= innerWidth`); when something is,
  the failure names the element that reaches furthest.

The pages are full: a municipality of its own (so the other tests' counts stay theirs) is filled through the JSON
API with a page of everything a list shows at once: more users than `/admin/users` shows (25), more partnerships
than `/partnerships` shows (50), a partnership with more activities than its page lists (100) and than
`/activities` shows (50), and an activity with more updates than its page shows (50). Titles, texts, addresses
and an update carry long unbroken words, as a partner's website or a pasted link has.
"""

import re
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By

import harness
import page_list
from pages import fill, html_lang, upload_import

# The narrowest phone the pages promise to fit (the phone_360_fr fixture's), in CSS pixels.
WIDTH = 360
# "60 KB": counted as 60,000 bytes, the stricter reading.
LIMIT = 60_000
# The inline charts the limit leaves out (issue 14: "charts excepted").
CHART = re.compile(rb"<svg\b.*?</svg>", re.S)
# A word that does not break by itself: a compound, a pasted link's path.
LONG_WORD = "Wereldburgerschapseducatieprogrammacoördinatieoverlegvergaderingsverslagen"

PAGE_SIZE = 50  # the lists' default page (Pagination.defaultLimit)
SECTION = 100  # the activities a partnership's page lists (ActivityPages.sectionLimit)
USERS_PAGE = 25  # the users /admin/users lists on a page (AdminUsersPage.pageSize)


@pytest.fixture(scope="module")
def full(stack):
    """A municipality filled up to its lists' pages, and its people: admin, coordinator, partner coordinator."""
    slug = "weight-" + uuid.uuid4().hex[:6]
    admin_email = f"admin@{slug}.demo.invalid"
    output = harness.stedenband(
        stack, "tenant", "create", slug, "--name", "Page weight check", "--admin-email", admin_email,
        "--admin-name", "Administrator", "--locale", "fr", "--json",
    )
    token = re.search(r'"token"\s*:\s*"([^"]+)"', output).group(1)

    def api(method, path, body=None):
        return harness.api(stack, method, path, token, body)

    people = {"admin": {"email": admin_email}}
    for role in ("coordinator", "partner_coordinator"):
        email = f"{role.replace('_', '-')}@{slug}.demo.invalid"
        user = api("POST", "/users", {"email": email, "name": role, "role": role, "locale": "fr"})
        people[role] = {"email": email, **user}
    # More users than /admin/users lists on a page, one with a name that does not break.
    for n in range(USERS_PAGE + 3):
        name = f"Lecteur {LONG_WORD}" if n == 0 else f"Lecteur numéro {n} du jumelage"
        email = f"viewer-{n}@{slug}.demo.invalid"
        api("POST", "/users", {"email": email, "name": name, "role": "viewer", "locale": "fr"})

    countries = ["SN", "BJ", "SR", "GT", "BF", "ZA", "CD", "PE", "NI", "EC"]
    title = f"Partenariat {LONG_WORD} avec une municipalité partenaire au long nom"
    big = api("POST", "/partnerships", {
        "title": title,
        "partner": {"name": f"Municipalité partenaire {LONG_WORD}", "country": "SN", "region": LONG_WORD,
                    "website": f"https://www.example.org/{LONG_WORD}/{LONG_WORD}"},
        "status": "active", "startedOn": "2010-01-01", "sdgFocus": [3, 4, 6, 11, 16, 17],
        "description": f"{LONG_WORD} " * 20,
    })["id"].lower()
    # More than a page of partnerships.
    for n in range(PAGE_SIZE + 4):
        api("POST", "/partnerships", {
            "title": f"Partenariat {n} pour l'échange de connaissances sur la gestion des déchets",
            "partner": {"name": f"Municipalité partenaire {n}", "country": countries[n % len(countries)]},
            "status": "active", "sdgFocus": [11, 16],
        })
    partner = people["partner_coordinator"]["id"]
    api("POST", f"/partnerships/{big}/members", {"userId": partner, "role": "partner_coordinator"})

    # More activities in one partnership than its page lists, with targets and budgets.
    kinds = ["knowledge_exchange", "capacity_building", "emergency_support", "awareness_campaign", "study_visit"]
    targets = [["3.d", "11.6"], ["4.1"], ["6.2", "6.b"], ["16.9"], ["17.17", "11.3"]]
    for n in range(SECTION + 1):
        api("POST", f"/partnerships/{big}/activities", {
            "title": f"Activité {n}: campagne de sensibilisation à l'hygiène dans les écoles du quartier",
            "kind": kinds[n % len(kinds)], "direction": "mutual", "status": "ongoing",
            "startsOn": "2026-03-01", "endsOn": "2026-12-31", "sdgTargets": targets[n % len(targets)],
            "themes": ["hygiene", "covid-19"], "budget": {"planned": "12500.00", "spent": "4300.50", "currency": "EUR"},
        })
    activity = api("POST", f"/partnerships/{big}/activities", {
        "title": f"Activité {LONG_WORD}", "kind": "capacity_building", "direction": "north_to_south",
        "description": f"{LONG_WORD} " * 10, "sdgTargets": ["3.d", "6.2", "11.6", "16.9"],
        "themes": ["civil-registry", "wereldburgerschapseducatie"],
        "budget": {"planned": "125000.00", "spent": "98000.00", "currency": "XOF"},
    })["id"].lower()
    # More updates than the activity's page shows.
    for n in range(PAGE_SIZE + 2):
        text = LONG_WORD if n == PAGE_SIZE + 1 else (
            f"Mise à jour {n}: la réunion avec l'équipe du partenaire s'est bien passée; prochaine étape en avril."
        )
        api("POST", f"/activities/{activity}/updates", {"body": text})
    return {"slug": slug, "people": people, "partnership": big, "title": title, "activity": activity}


class Checked:
    """What one walk found: the stylesheets and scripts it saw, checked once each."""

    def __init__(self, browser):
        self.browser = browser
        self.assets = set()

    def page(self, path, expected=200, name=None):
        """Opens `path` and checks it; `expected` is the status the page answers."""
        harness.visit(self.browser, path)
        self.loaded(path, expected, name)

    def loaded(self, what, expected=200, name=None):
        """Checks the page the browser just loaded (after a navigation or a form's post)."""
        browser = self.browser
        status, body = harness.document_of_page(browser)
        assert status == expected, f"{what} answered {status}, not {expected}"
        assert html_lang(browser) == "fr", what
        weight = len(CHART.sub(b"", body))
        assert weight <= LIMIT, (
            f"{what} weighs {weight} bytes without its charts ({len(body)} with them), over {LIMIT}")
        widest = harness.widest_element(browser, WIDTH)
        assert widest is None, (
            f"{what} is {widest['width']} px wide on a {widest['window']} px phone: "
            f"{widest['widest']} reaches {widest['right']} px")
        # Nothing made the phone zoom out to show a wider page.
        assert browser.execute_script("return window.innerWidth") == WIDTH, what
        for selector, attribute in (('link[rel="stylesheet"]', "href"), ("script[src]", "src")):
            for element in browser.find_elements(By.CSS_SELECTOR, selector):
                self.asset(element.get_attribute(attribute))
        if name:
            harness.screenshot(browser, name)

    def asset(self, url):
        """A stylesheet or script weighs at most LIMIT on its own."""
        if url in self.assets:
            return
        self.assets.add(url)
        request = urllib.request.Request(url, headers={"X-Forwarded-For": self.browser.client_address})
        with urllib.request.urlopen(request, timeout=harness.WAIT) as response:
            size = len(response.read())
        assert size <= LIMIT, f"{url} weighs {size} bytes, over {LIMIT}"


def _walk(browser, pages):
    checked = Checked(browser)
    for path, _ in pages:
        harness.forget_statuses(browser)
        checked.page(path)
    assert checked.assets, "no stylesheet was linked"
    return checked


def test_a_coordinators_pages_fit_a_360_px_phone_and_weigh_at_most_60_kb(stack, full, phone_360_fr):
    harness.sign_in_by_command(phone_360_fr, full["people"]["coordinator"]["email"])
    partnership, activity = full["partnership"], full["activity"]
    checked = _walk(phone_360_fr, page_list.municipality_pages(partnership, activity))
    # Full pages of each list: the default page, and the next one.
    for path in ("/activities?q=", f"/activities?partnershipId={partnership}", "/partnerships?status=active"):
        harness.forget_statuses(phone_360_fr)
        checked.page(path)
    assert len(phone_360_fr.find_elements(By.CSS_SELECTOR, "#partnerships tbody tr")) == PAGE_SIZE
    harness.forget_statuses(phone_360_fr)
    checked.page(f"/activities/{activity}")
    assert len(phone_360_fr.find_elements(By.CSS_SELECTOR, "#updates li, .updates li")) >= PAGE_SIZE

    # The pages answered with an error: a form refused (422), a page not found (404).
    harness.visit(phone_360_fr, "/partnerships/new")
    fill(phone_360_fr, "title", "")
    harness.forget_statuses(phone_360_fr)
    harness.submit(phone_360_fr, "form:has(#save-partnership)")
    checked.loaded("/partnerships/new refused", 422)
    harness.visit(phone_360_fr, f"/activities/{activity}/edit")
    fill(phone_360_fr, "title", "")
    harness.forget_statuses(phone_360_fr)
    harness.submit(phone_360_fr, "form:has(#save-activity)")
    checked.loaded("/activities/…/edit refused", 422)
    harness.forget_statuses(phone_360_fr)
    checked.page(f"/activities/{uuid.uuid4()}", 404)

    # An import refused, its bad rows in a table: a spreadsheet of 20 rows, 5 of them wrong.
    rows = [
        f"{full['title']};Importée {n} {LONG_WORD};{'fête' if n % 4 == 0 else 'study_visit'};mutual;2026-04-01;6.2;"
        "800,00;EUR"
        for n in range(20)
    ]
    upload_import(phone_360_fr, rows)
    checked.loaded("/import refused", 422)
    assert len(phone_360_fr.find_elements(By.CSS_SELECTOR, "#problems tbody tr")) == 5


def test_an_administrators_pages_fit_a_360_px_phone_and_weigh_at_most_60_kb(stack, full, phone_360_fr):
    harness.sign_in_by_command(phone_360_fr, full["people"]["admin"]["email"])
    checked = _walk(phone_360_fr, page_list.ADMINISTRATOR_PAGES)
    # A full page of users, then the next.
    harness.forget_statuses(phone_360_fr)
    checked.page("/admin/users")
    assert len(phone_360_fr.find_elements(By.CSS_SELECTOR, "#users tbody tr")) == USERS_PAGE
    following = phone_360_fr.find_element(By.ID, "next-page").get_attribute("href")
    harness.forget_statuses(phone_360_fr)
    phone_360_fr.get(following)
    checked.loaded(following)
    assert phone_360_fr.find_elements(By.CSS_SELECTOR, "#users tbody tr")


def test_a_partner_coordinators_pages_fit_a_360_px_phone_and_weigh_at_most_60_kb(stack, full, phone_360_fr):
    harness.sign_in_by_command(phone_360_fr, full["people"]["partner_coordinator"]["email"])
    _walk(phone_360_fr, page_list.partner_coordinator_pages(full["partnership"], full["activity"]))


def test_the_platform_page_fits_a_360_px_phone_and_weighs_at_most_60_kb(stack, phone_360_fr):
    harness.sign_in_platform_by_command(phone_360_fr, "platform@stedenband.demo.invalid")  # made by `stedenband demo`
    _walk(phone_360_fr, page_list.PLATFORM_PAGES)


def test_the_signed_out_pages_fit_a_360_px_phone_and_weigh_at_most_60_kb(stack, full, phone_360_fr):
    checked = Checked(phone_360_fr)
    expected = {"/sign-in/oidc/no-such-municipality": 404}
    for path, _ in page_list.VISITOR_PAGES:
        harness.forget_statuses(phone_360_fr)
        checked.page(path, expected.get(path, 200))
    # The pages behind a mailed link: the confirm button, then the same link used (410) and one unknown (404).
    output = harness.stedenband(stack, "sign-in-link", full["people"]["coordinator"]["email"])
    link = re.search(r"/sign-in/link/[^\s<>\"')\]]+", output).group(0)
    harness.forget_statuses(phone_360_fr)
    checked.page(link)
    harness.forget_statuses(phone_360_fr)
    harness.submit(phone_360_fr, "form:has(#confirm-sign-in)")
    harness.document_of_page(phone_360_fr)  # signed in: the dashboard, walked by the coordinator's test
    harness.forget_statuses(phone_360_fr)
    phone_360_fr.delete_all_cookies()
    checked.page(link, 410)
    harness.forget_statuses(phone_360_fr)
    checked.page("/sign-in/link/" + "A" * 43, 404)
