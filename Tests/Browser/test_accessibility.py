"""axe-core finds no serious or critical violation on the sign-in pages, the dashboard and the settings, the
partnership and activity pages (page_list.py), the forms with an error shown, a refused import and the members page."""

import os
import shutil
import tempfile

import pytest

from selenium.webdriver.common.by import By

import harness
from page_list import partnership_and_activity_pages
from pages import error_summary_fields, fill, partnership_ids, upload_import


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


def test_partnership_and_activity_pages_pass_axe(stack, browser):
    coordinator = stack.user("admin", "roeselare")
    (partnership, *_) = sorted(partnership_ids(stack, coordinator["token"]))
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        coordinator["token"],
        {
            "title": "Axe-activiteit (browser suite)",
            "kind": "study_visit",
            "direction": "north_to_south",
            "sdgTargets": ["11.3"],
            "budget": {"planned": "2500.00", "currency": "EUR"},
        },
    )["id"].lower()
    harness.sign_in(browser, coordinator["email"])
    for path, name in partnership_and_activity_pages(partnership, activity):
        harness.forget_statuses(browser)
        harness.visit(browser, path)
        assert harness.status_of_page(browser) == 200, path
        harness.axe_check(browser)
        if name:
            harness.screenshot(browser, name)


def test_forms_with_an_error_shown_pass_axe(stack, browser):
    coordinator = stack.user("coordinator", "leuven")
    (partnership, *_) = sorted(partnership_ids(stack, coordinator["token"]))
    activities = harness.api(stack, "GET", f"/activities?partnershipId={partnership}", coordinator["token"])["items"]
    harness.sign_in(browser, coordinator["email"])
    forms = [
        ("/partnerships/new", "#save-partnership", "title"),
        (f"/partnerships/{partnership}/edit", "#save-partnership", "title"),
        (f"/partnerships/{partnership}/activities/new", "#save-activity", "title"),
    ]
    if activities:
        forms.append((f"/activities/{activities[0]['id'].lower()}/edit", "#save-activity", "title"))
    for path, button, field in forms:
        harness.visit(browser, path)
        fill(browser, field, "")
        harness.forget_statuses(browser)
        harness.submit(browser, f"form:has({button})")
        assert harness.status_of_page(browser) == 422, path
        assert field in error_summary_fields(browser), path
        harness.axe_check(browser)
    harness.screenshot(browser, "activity-form-error")

    # A spreadsheet refused by /import: its bad rows in a table, nothing imported.
    title = harness.api(stack, "GET", f"/partnerships/{partnership}", coordinator["token"])["title"]
    upload_import(
        browser,
        [
            f"{title};Axe-import 1;study_visit;mutual;2026-04-01;6.2;800,00;EUR",
            f"{title};Axe-import 2;feest;north_to_south;2026-05-01;4.1;1.250,50;EUR",
            f"{title};Axe-import 3;awareness_campaign;sideways;2026-13-01;4.1;12,5;EUR",
        ],
    )
    assert harness.status_of_page(browser) == 422
    assert len(browser.find_elements(By.CSS_SELECTOR, "#problems tbody tr")) >= 2
    harness.axe_check(browser)
    harness.screenshot(browser, "import-error")

    # A spreadsheet of results refused by its form below: its bad rows in its own table, the summary on top.
    folder = tempfile.mkdtemp(prefix="stedenband-import.")
    try:
        path = os.path.join(folder, "results.csv")
        with open(path, "w", encoding="utf-8") as file:
            file.write(
                "partnership;result;indicator;measure;periodStart;periodEnd;target\n"
                f"{title};Axe-result;Axe-indicator;percentage;2026-01-01;2026-12-31;120\n"
                f"{title};Axe-result;Axe-indicator;speed;2027-01-01;2027-12-31;90\n"
            )
        harness.visit(browser, "/import")
        browser.find_element(By.ID, "results-file").send_keys(path)
        harness.forget_statuses(browser)
        harness.submit(browser, 'form[action="/import/results"]')
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert harness.status_of_page(browser) == 422
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results-problems tbody tr")) == 2
    assert "results-file" in error_summary_fields(browser)
    harness.axe_check(browser)
    harness.screenshot(browser, "import-results-error")


def test_members_page_passes_axe(stack, browser):
    admin = stack.user("admin", "sint-niklaas")
    (partnership, *_) = sorted(partnership_ids(stack, admin["token"]))
    harness.sign_in(browser, admin["email"])
    harness.forget_statuses(browser)
    harness.visit(browser, f"/partnerships/{partnership}/members")
    assert harness.status_of_page(browser) == 200
    assert browser.find_elements(By.CSS_SELECTOR, "#members select[name=role]")  # a form per member
    harness.axe_check(browser)
    harness.screenshot(browser, "partnership-members")
