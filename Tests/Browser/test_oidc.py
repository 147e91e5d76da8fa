"""Signing in with the municipality's own OpenID provider, as a person does: the choice on /sign-in, the
provider's form (oidc-provider-mock, a real provider, on 127.0.0.1), the way back; and the pages that say why
nobody was signed in."""

import json
import os
import subprocess
import tempfile
import urllib.parse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import harness

MUNICIPALITY = "herent"
CLIENT_ID = "stedenband-browser-tests"


def _provider_python():
    """The Python of the virtual environment scripts/install-deps fills with oidc-provider-mock (the Swift
    sign-in tests use the same one)."""
    venv = os.environ.get("OIDC_PROVIDER_VENV", os.path.join(harness.ROOT, ".build", "oidc-venv"))
    python = os.path.join(venv, "bin", "python")
    if not os.access(python, os.X_OK):
        # Loud on purpose, as the browser: CI must run this test.
        raise RuntimeError(f"no {python}: run scripts/install-deps, which installs oidc-provider-mock there")
    return python


class Provider:
    """oidc-provider-mock started by scripts/test-servers/oidc_provider.py on a free port, knowing `users`."""

    def __init__(self, users):
        self.folder = tempfile.mkdtemp(prefix="stedenband-browser-oidc.")
        port_file = os.path.join(self.folder, "port")
        configuration = os.path.join(self.folder, "config.json")
        with open(configuration, "w") as file:
            json.dump({"portFile": port_file, "users": users}, file)
        script = os.path.join(harness.ROOT, "scripts", "test-servers", "oidc_provider.py")
        # It runs until its standard input closes (stop), so it cannot outlive this process.
        self.process = subprocess.Popen(
            [_provider_python(), "-u", script, configuration],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(harness.artifacts_folder(), "oidc-provider.log"), "w"),
        )

        def port():
            if self.process.poll() is not None:
                raise RuntimeError("oidc_provider.py exited before it was ready (see oidc-provider.log)")
            try:
                with open(port_file) as file:
                    return int(file.read())
            except (OSError, ValueError):
                return None

        self.issuer = f"http://127.0.0.1:{harness.poll('the OpenID provider', port)}"

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(harness.WAIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def provider(stack):
    """The provider, configured as the demo municipality's with `stedenband tenant set`; removed afterwards."""
    coordinator = stack.user("coordinator", MUNICIPALITY)
    provider = Provider(
        [
            {"sub": "coordinator", "email": coordinator["email"], "email_verified": True},
            {"sub": "stranger", "email": "stranger@elsewhere.example.org", "email_verified": True},
        ]
    )
    secret = os.path.join(provider.folder, "client-secret")
    with open(secret, "w") as file:
        file.write("browser-test-secret\n")
    try:
        harness.stedenband(
            stack, "tenant", "set", MUNICIPALITY, "--oidc-issuer", provider.issuer,
            "--oidc-client-id", CLIENT_ID, "--oidc-client-secret-file", secret,
        )
        yield provider
    finally:
        harness.stedenband(stack, "tenant", "set", MUNICIPALITY, "--remove-oidc")
        provider.stop()


def _go_to_provider(browser, provider, next_path=None):
    """Opens /sign-in and follows "Sign in with Herent" to the provider's form."""
    harness.visit(browser, "/sign-in" + ("?" + urllib.parse.urlencode({"next": next_path}) if next_path else ""))
    choice = browser.find_element(By.ID, f"sign-in-with-{MUNICIPALITY}")
    assert "Herent" in choice.text, choice.text
    choice.click()
    WebDriverWait(browser, harness.WAIT).until(
        lambda driver: driver.current_url.startswith(provider.issuer + "/"), "waiting for the provider's form"
    )


def _authorize_as(browser, sub):
    """Types `sub` in the provider's form and presses Authorize; waits until the browser is back here."""
    field = browser.find_element(By.CSS_SELECTOR, 'input[name="sub"]')
    field.send_keys(sub)
    harness.forget_statuses(browser)
    harness.submit(browser, 'form:has(input[name="sub"])')
    WebDriverWait(browser, harness.WAIT).until(
        lambda driver: driver.current_url.startswith(browser.stack.url + "/"), "waiting to come back"
    )


def _signed_out(browser):
    """Whether the browser is signed out: the dashboard sends it to /sign-in."""
    harness.visit(browser, "/")
    return harness.current_path(browser) == "/sign-in"


def test_the_municipalitys_provider_signs_the_coordinator_in(stack, browser, provider):
    coordinator = stack.user("coordinator", MUNICIPALITY)
    harness.visit(browser, "/sign-in")
    heading = browser.find_element(By.ID, "sign-in-choices-heading").text
    assert heading == "Or sign in with your municipality's account", heading
    harness.axe_check(browser)
    harness.screenshot(browser, "sign-in-with-municipality")

    _go_to_provider(browser, provider, next_path="/settings")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(browser.current_url).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [f"{stack.url}/sign-in/oidc/{MUNICIPALITY}/callback"]
    _authorize_as(browser, "coordinator")
    assert harness.current_path(browser) == "/settings", browser.current_url
    assert browser.find_elements(By.ID, "sign-out"), "signed in: the header has the sign-out button"
    assert "Herent" in browser.find_element(By.CSS_SELECTOR, ".signed-in").text
    harness.visit(browser, "/")
    assert harness.current_path(browser) == "/"
    assert coordinator["email"]  # the demo's coordinator is the one the provider vouched for
    live = stack.sql(
        "SELECT count(*) FROM platform.sessions s JOIN platform.users u ON u.id = s.user_id "
        f"WHERE u.email = '{coordinator['email']}' AND s.ended_at IS NULL"
    )
    assert int(live.strip()) >= 1


def test_an_unknown_address_lands_on_the_failure_page_and_signs_nobody_in(stack, browser, provider):
    _go_to_provider(browser, provider)
    _authorize_as(browser, "stranger")
    assert harness.status_of_page(browser) == 403
    assert harness.current_path(browser) == f"/sign-in/oidc/{MUNICIPALITY}/callback"
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text == "No account found"
    page = browser.page_source
    assert "stranger" not in page, "the provider's claims stay in the log"
    back = browser.find_element(By.CSS_SELECTOR, 'main a[href="/sign-in"]')
    assert browser.find_elements(By.CSS_SELECTOR, "header.site-header"), "inside the layout"
    harness.axe_check(browser)
    harness.screenshot(browser, "sign-in-with-municipality-refused")
    back.click()
    harness.wait_for_path(browser, lambda path: path == "/sign-in", "/sign-in")
    assert _signed_out(browser)


def test_cancelling_at_the_provider_says_so_and_signs_nobody_in(stack, browser, provider):
    _go_to_provider(browser, provider)
    harness.forget_statuses(browser)
    harness.submit(browser, 'form:has(button[value="deny"])')
    WebDriverWait(browser, harness.WAIT).until(
        lambda driver: driver.current_url.startswith(stack.url + "/"), "waiting to come back"
    )
    assert harness.status_of_page(browser) == 403
    assert browser.find_element(By.CSS_SELECTOR, "main h1").text == "Sign-in cancelled"
    assert "access_denied" not in browser.page_source
    assert _signed_out(browser)
