"""The harness itself: the server answers, the browser drives it, axe-core runs and can fail, mail arrives."""

import smtplib
import urllib.request
from email.message import EmailMessage

import pytest

import harness


def test_server_answers_health_and_readiness(stack):
    for path in ("/healthz", "/readyz"):
        with urllib.request.urlopen(stack.url + path, timeout=harness.WAIT) as response:
            assert response.status == 200, path


def test_demo_printed_a_coordinator_and_a_partner_coordinator(stack):
    for role in ("admin", "coordinator", "partner_coordinator"):
        user = stack.user(role, "roeselare")
        assert user["email"].endswith("@roeselare.demo.invalid")
        assert harness.api(stack, "GET", "/me", user["token"])["email"] == user["email"]


def test_report_page_has_no_serious_accessibility_violation(stack, browser):
    """The page the server already serves: the report, opened with the coordinator's token."""
    coordinator = stack.user("coordinator")
    harness.set_headers(browser, Authorization=f"Bearer {coordinator['token']}", Accept="text/html")
    harness.visit(browser, "/api/v1/reports/overview?format=html")
    assert harness.status_of_page(browser) == 200
    assert browser.find_element("css selector", "h1").text
    harness.axe_check(browser)
    harness.screenshot(browser, "report")


def test_axe_check_fails_on_a_page_with_violations(stack, browser):
    """A checker that cannot fail proves nothing: an unlabelled field and an image without text must fail."""
    browser.get(
        "data:text/html;charset=utf-8,<!doctype html><html lang=en><title>t</title><main><h1>Form</h1>"
        "<img src=x.png><form><input type=text name=q><button></button></form></main></html>"
    )
    with pytest.raises(AssertionError, match="violation"):
        harness.axe_check(browser)


def test_mail_catcher_hands_over_a_message_to_its_recipient(stack):
    mark = stack.mail.mark()
    message = EmailMessage()
    message["From"] = "harness@stedenband.invalid"
    message["To"] = "someone@stedenband.invalid"
    message["Subject"] = "harness"
    message.set_content(f"{stack.url}/sign-in/link/abc")
    with smtplib.SMTP("127.0.0.1", stack.mail.port, timeout=harness.WAIT) as client:
        client.send_message(message)
    received = stack.mail.wait_for("someone@stedenband.invalid", since=mark)
    assert "/sign-in/link/abc" in harness.message_text(received)
    with pytest.raises(AssertionError, match="no mail"):
        stack.mail.wait_for("nobody@stedenband.invalid", since=mark, timeout=0.2)
