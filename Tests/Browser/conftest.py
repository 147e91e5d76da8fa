"""pytest fixtures of the browser suite: one server for the session, a fresh Chromium per test."""

import os
import re

import pytest

import harness


@pytest.fixture(scope="session")
def stack():
    stack = harness.Stack()
    yield stack
    stack.stop()


def _browser(request, stack, **options):
    browser = harness.new_browser(stack, **options)
    yield browser
    report = getattr(request.node, "report_call", None)
    try:
        if report is not None and report.failed:
            # What the browser showed when the test failed, beside the server's log.
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
            folder = harness.artifacts_folder()
            browser.save_screenshot(os.path.join(folder, f"{name}.png"))
            with open(os.path.join(folder, f"{name}.html"), "w") as page:
                page.write(browser.page_source)
            print(f"\n{browser.current_url}; the server's log ends with:\n{stack.log_tail()}")
    finally:
        browser.quit()


@pytest.fixture
def browser(request, stack):
    """A desktop Chromium (1280 × 900, English)."""
    yield from _browser(request, stack)


@pytest.fixture
def phone_fr(request, stack):
    """A phone-sized Chromium (390 × 844) asking for French."""
    yield from _browser(request, stack, width=390, height=844, language="fr", phone=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report


@pytest.fixture
def phone_360_fr(request, stack):
    """The narrowest phone the pages promise to fit (360 × 740), asking for French."""
    yield from _browser(request, stack, width=360, height=740, language="fr", phone=True)
