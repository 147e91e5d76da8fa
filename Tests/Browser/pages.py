"""What the page tests share: reading the partnership links of a page, the marker for pages not built yet."""

import os
import re
import shutil
import tempfile
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import harness

PARTNERSHIP_PATH = re.compile(r"^/partnerships/([0-9a-fA-F-]{36})$")

def partnership_ids_linked(browser):
    """The ids of the partnerships the page links to (`/partnerships/{id}`) from its <main>."""
    ids = set()
    for link in browser.find_element(By.TAG_NAME, "main").find_elements(By.CSS_SELECTOR, "a[href]"):
        path = urllib.parse.urlsplit(link.get_attribute("href")).path
        match = PARTNERSHIP_PATH.match(path)
        if match:
            ids.add(match.group(1).lower())
    return ids


def partnership_ids(stack, token):
    """The ids of the partnerships the JSON API lists for `token`."""
    return {item["id"].lower() for item in harness.api(stack, "GET", "/partnerships", token)["items"]}


def html_lang(browser):
    return browser.find_element(By.TAG_NAME, "html").get_attribute("lang")


# MARK: forms


def fill(browser, name, value):
    """Types `value` into the form field named `name` (the JSON API's field name), replacing what was there;
    a <select> gets the option whose value is `value`."""
    field = browser.find_element(By.CSS_SELECTOR, f'[name="{name}"]')
    if field.tag_name == "select":
        Select(field).select_by_value(value)
    elif field.get_attribute("type") == "date":
        # What a date picker sets (typing into one depends on the browser's locale): the ISO date.
        browser.execute_script("arguments[0].value = arguments[1]", field, value)
        assert field.get_attribute("value") == value, (name, value)
    else:
        field.clear()
        field.send_keys(value)


def field_value(browser, name):
    return browser.find_element(By.CSS_SELECTOR, f'[name="{name}"]').get_attribute("value")


def check_target(browser, code):
    """Ticks the SDG target `code` (e.g. "4.1") as a person does: opens its goal's <details>, then clicks."""
    box = browser.find_element(By.ID, f"sdg-{code}")
    details = box.find_element(By.XPATH, "ancestor::details[1]")
    if details.get_attribute("open") is None:
        details.find_element(By.TAG_NAME, "summary").click()
    if not box.is_selected():
        browser.find_element(By.CSS_SELECTOR, f'label[for="sdg-{code}"]').click()
    assert box.is_selected(), code


def error_summary_fields(browser):
    """The fields an error summary on the page links to (`#field`), in its order."""
    links = browser.find_elements(By.CSS_SELECTOR, ".error-summary a[href^='#']")
    return [link.get_attribute("href").split("#", 1)[1] for link in links]


def id_after(browser, prefix):
    """The id in the browser's path after `prefix` (e.g. "/activities/"), in lower case."""
    path = harness.current_path(browser)
    assert path.startswith(prefix), path
    return path[len(prefix) :].split("/")[0].lower()


# MARK: the import


IMPORT_HEADER = "partnership;title;kind;direction;startsOn;sdgTargets;budgetPlanned;currency"


def upload_import(browser, rows, header=IMPORT_HEADER):
    """Chooses a CSV file of `header` and `rows` (lines, `;`-separated) on /import and presses Import, as a person
    does; the Network events logged before are dropped, so `status_of_page` (or `document_of_page`) tells the
    answer's."""
    folder = tempfile.mkdtemp(prefix="stedenband-import.")
    try:
        path = os.path.join(folder, "activities.csv")
        with open(path, "w", encoding="utf-8") as file:
            file.write("\n".join([header, *rows]) + "\n")
        harness.visit(browser, "/import")
        browser.find_element(By.ID, "file").send_keys(path)
        harness.forget_statuses(browser)
        harness.submit(browser, 'form[action="/import"]')
    finally:
        shutil.rmtree(folder, ignore_errors=True)
