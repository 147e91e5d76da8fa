"""What the page tests share: reading the partnership links of a page, the marker for pages not built yet."""

import re
import urllib.parse

from selenium.webdriver.common.by import By

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
