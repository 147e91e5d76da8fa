"""The dashboard (`/`): each partnership's latest activity and update, what changed since the last visit, the
municipality's SDG chart for coordinators (not for partner coordinators); and no page of a partnership or an
activity is wider than a 390 px phone, however long a word in it."""

from selenium.webdriver.common.by import By

import harness
from pages import partnership_ids

# A word with no place to break (an address pasted in a description or a theme), longer than a phone is wide.
LONG_WORD = "https://example.org/stedenband/" + "verslag-" * 12 + "hygienecampagne-tambacounda.pdf"


def _record(stack, token, partnership, title, targets=("11.3",)):
    activity = harness.api(
        stack,
        "POST",
        f"/partnerships/{partnership}/activities",
        token,
        {
            "title": title,
            "description": "See " + LONG_WORD,
            "kind": "awareness_campaign",
            "direction": "mutual",
            "sdgTargets": list(targets),
            "themes": ["covid-19"],
            "budget": {"planned": "123456789.00", "spent": "98765432.10", "currency": "EUR"},
        },
    )
    return activity["id"].lower()


def _chart_count(browser, goal_name_start):
    """The count the chart's table gives the goal whose name starts with `goal_name_start`, else None."""
    for row in browser.find_elements(By.CSS_SELECTOR, "#sdg-chart-table tbody tr"):
        if row.find_element(By.CSS_SELECTOR, "th").text.strip().startswith(goal_name_start):
            return int(row.find_element(By.CSS_SELECTOR, "td").text)
    return None


# Sign-in links are limited per address (3 at once, then one a minute): these tests sign in people whom the
# other tests sign in least, so the suite's order does not run one of them out of links.


def test_coordinator_sees_latest_activity_update_changes_and_chart(stack, browser):
    coordinator = stack.user("coordinator", "herent")
    (partnership, *_) = sorted(partnership_ids(stack, coordinator["token"]))
    activity = _record(stack, coordinator["token"], partnership, "Dashboard-activiteit (browser suite)")
    harness.api(stack, "POST", f"/activities/{activity}/updates", coordinator["token"], {"body": "Dashboard-bericht"})

    harness.sign_in(browser, coordinator["email"])
    assert harness.current_path(browser) == "/"
    item = browser.find_element(By.CSS_SELECTOR, f'#partnerships li:has(a[href="/partnerships/{partnership}"])')
    latest = [line.text for line in item.find_elements(By.CSS_SELECTOR, ".latest")]
    assert any("Dashboard-activiteit (browser suite)" in line for line in latest), latest
    assert item.find_element(By.CSS_SELECTOR, f'.latest a[href="/activities/{activity}#updates"]')
    changes = browser.find_element(By.ID, "changes-list").text
    assert "Dashboard-activiteit (browser suite)" in changes

    # The chart counts from the read model, which the queue fills a moment after the activity was recorded.
    before = None

    def counted():
        nonlocal before
        browser.refresh()
        before = _chart_count(browser, "11.")
        return before is not None and before >= 1

    harness.poll("goal 11 counted in the dashboard's chart", counted)
    assert browser.find_element(By.CSS_SELECTOR, 'svg.sdg-chart[role="img"] title').get_attribute("textContent")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.sdg-chart rect")) == 17
    harness.axe_check(browser)
    harness.screenshot(browser, "dashboard-coordinator")


def test_partner_coordinator_sees_their_latest_items_and_no_chart(stack, browser):
    coordinator = stack.user("coordinator", "sint-niklaas")
    partner = stack.user("partner_coordinator", "sint-niklaas")
    (theirs, *_) = partnership_ids(stack, partner["token"])
    activity = _record(stack, coordinator["token"], theirs, "Partner-dashboard-activiteit (browser suite)")
    harness.sign_in(browser, partner["email"])
    assert harness.current_path(browser) == "/"
    assert browser.find_element(By.CSS_SELECTOR, f'#partnerships .latest a[href="/activities/{activity}"]')
    assert not browser.find_elements(By.ID, "sdg-chart-section")
    harness.axe_check(browser)


def test_pages_fit_a_390_px_phone(stack, phone_fr):
    coordinator = stack.user("coordinator", "herent")
    (partnership, *_) = sorted(partnership_ids(stack, coordinator["token"]))
    activity = _record(stack, coordinator["token"], partnership, "Smal-" + LONG_WORD, targets=("11.3", "3.d"))
    harness.api(stack, "POST", f"/activities/{activity}/updates", coordinator["token"], {"body": LONG_WORD})
    harness.sign_in(phone_fr, coordinator["email"])
    for path in (f"/activities/{activity}", f"/partnerships/{partnership}", "/"):
        harness.visit(phone_fr, path)
        assert phone_fr.execute_script("return window.innerWidth") == 390
        width = phone_fr.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone"
    harness.visit(phone_fr, f"/activities/{activity}")
    harness.axe_check(phone_fr)
