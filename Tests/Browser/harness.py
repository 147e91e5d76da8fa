"""The browser suite's harness: a stedenband server with demo data, a real SMTP server, headless Chromium.

One `Stack` per test session: a temporary STEDENBAND_HOME (embedded PostgreSQL), `migrate up`, `demo`, then
`serve` on a free port with SMTP_URL pointing at an in-process aiosmtpd server (`MailCatcher`) and PUBLIC_URL
at the server's own address. Each test gets a fresh headless Chromium through Debian's chromedriver
(`new_browser`). Nothing here sleeps to wait: every wait polls with a deadline.

The helpers the tests use: `sign_in`, `axe_check`, `screenshot`, `status_of_page`, `api`.
"""

import asyncio
import base64
import email
import email.policy
import glob
import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from aiosmtpd.smtp import SMTP
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# How long one wait may take before the test fails (seconds): generous, since CI shares two cores.
WAIT = float(os.environ.get("BROWSER_WAIT", "30"))
SESSION_COOKIE = "stedenband_session"


def binary_path():
    """The server binary: $STEDENBAND_BINARY, or the debug build in .build."""
    path = os.environ.get("STEDENBAND_BINARY", os.path.join(".build", "debug", "stedenband"))
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def artifacts_folder():
    """Where the server's log and a failed test's screenshot and page source go ($BROWSER_ARTIFACTS)."""
    folder = os.environ.get("BROWSER_ARTIFACTS", os.path.join(ROOT, ".build", "browser"))
    os.makedirs(folder, exist_ok=True)
    return folder


def poll(what, condition, timeout=WAIT, interval=0.05):
    """Calls `condition` until it returns something truthy, and returns that; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)  # a polling interval under a deadline, not a wait for something to happen


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# MARK: mail


class MailCatcher:
    """A real SMTP server (aiosmtpd) in a thread of this process; keeps every message it accepts."""

    def __init__(self):
        self.messages = []  # (recipients, email.message.EmailMessage), in the order received
        self.changed = threading.Condition()
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        failure = []

        def run():
            asyncio.set_event_loop(self.loop)
            try:
                self.server = self.loop.run_until_complete(
                    self.loop.create_server(
                        lambda: SMTP(self, hostname="localhost", ident="stedenband browser tests"),
                        host="127.0.0.1",
                        port=0,
                    )
                )
            except Exception as error:  # reported to the starting thread below
                failure.append(error)
                started.set()
                return
            self.port = self.server.sockets[0].getsockname()[1]
            started.set()
            self.loop.run_forever()
            self.server.close()
            self.loop.run_until_complete(self.server.wait_closed())
            self.loop.close()

        self.thread = threading.Thread(target=run, name="smtp", daemon=True)
        self.thread.start()
        if not started.wait(WAIT):
            raise RuntimeError("the SMTP server did not start")
        if failure:
            raise failure[0]

    @property
    def url(self):
        # A server on this machine only: no TLS (docs/delivery.md, `starttls=off`).
        return f"smtp://127.0.0.1:{self.port}?starttls=off"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.changed:
            self.messages.append(([address.lower() for address in envelope.rcpt_tos], message))
            self.changed.notify_all()
        return "250 OK: queued"

    def mark(self):
        """A position in the mailbox: `wait_for(..., since=mark)` sees only what arrived after it."""
        with self.changed:
            return len(self.messages)

    def wait_for(self, recipient, since=0, timeout=WAIT):
        """The first message to `recipient` received after `since`; fails after `timeout` seconds."""
        recipient = recipient.lower()
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for recipients, message in self.messages[since:]:
                    if recipient in recipients:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no mail to {recipient} within {timeout:.0f} s")
                self.changed.wait(left)

    def stop(self):
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(WAIT)


def message_text(message):
    """The plain text of a message (its text/plain part, else the HTML one)."""
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


# MARK: the server


class Stack:
    """The server with demo data, its SMTP server and what the demo printed (users and tokens)."""

    def __init__(self):
        self.binary = binary_path()
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"no server binary at {self.binary}: build it (swift build) or set STEDENBAND_BINARY")
        self.home = tempfile.mkdtemp(prefix="stedenband-browser.")
        os.chmod(self.home, 0o755)  # the embedded PostgreSQL runs as the postgres user when we are root
        self.process = None
        self.mail = None
        self.log_path = os.path.join(artifacts_folder(), "serve.log")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _environment(self):
        environment = dict(os.environ)
        environment.update(
            STEDENBAND_HOME=self.home,
            LOG_LEVEL=os.environ.get("BROWSER_LOG_LEVEL", "notice"),
            # Every test comes from 127.0.0.1: lift the per-address limit of public routes for the run.
            RATE_LIMIT_ADDRESS_PER_SECOND="100000",
            RATE_LIMIT_ADDRESS_BURST="100000",
            # Each browser says it is another client (X-Forwarded-For, believed from 127.0.0.1 only), so the
            # per-client limit of sign-in requests sees one person per browser, as it would in real use.
            TRUSTED_PROXIES="127.0.0.1",
        )
        for name in ("DATABASE_URL", "MIGRATION_DATABASE_URL", "SMTP_URL", "PUBLIC_URL", "PORT", "HOST"):
            environment.pop(name, None)
        return environment

    def _run(self, *arguments):
        result = subprocess.run(
            [self.binary, *arguments],
            cwd=ROOT,
            env=self._environment(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"stedenband {' '.join(arguments)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def _start(self):
        self._run("migrate", "up")
        self.users = parse_demo(self._run("demo"))
        if not self.users:
            raise RuntimeError("`stedenband demo` printed no users")
        self.mail = MailCatcher()
        # PUBLIC_URL must name the port before the server starts, so the port is chosen here; another process
        # could take it in between, so a server that exits at once is tried again on another port.
        for attempt in range(3):
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            environment = self._environment()
            environment.update(
                SMTP_URL=self.mail.url,
                PUBLIC_URL=self.url,
                STEDENBAND_NOTIFICATIONS_PUBLIC_URL=self.url,
            )
            with open(self.log_path, "w") as log:
                self.process = subprocess.Popen(
                    [self.binary, "serve", "--port", str(port)],
                    cwd=ROOT,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            if poll(f"the server on port {port}", lambda: self.process.poll() is not None or self._ready(), 120):
                if self.process.poll() is None:
                    return
            self.process.wait()
        raise RuntimeError(f"the server did not start; its log:\n{self.log_tail()}")

    def _ready(self):
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def log_tail(self, lines=60):
        try:
            with open(self.log_path, errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return "(no log)"

    def sql(self, statement):
        """Runs `statement` on the embedded database as its superuser (psql on the cluster's unix socket):
        for what a browser cannot do cheaply, such as letting a link expire. Returns psql's output."""
        command = ["psql", "-h", os.path.join(self.home, "postgres", "run"), "-d", "stedenband", "-X", "-A", "-t"]
        command += ["-v", "ON_ERROR_STOP=1", "-c", statement]
        if os.geteuid() == 0:  # the cluster runs as the postgres user, whose socket only it may open
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=WAIT, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr}")
        return result.stdout

    def user(self, role, municipality="sint-niklaas"):
        """The demo user with `role` in `municipality`: a dict with slug, role, email and token."""
        for user in self.users:
            if user["role"] == role and user["slug"] == municipality:
                return user
        raise AssertionError(f"the demo has no {role} in {municipality}: {self.users}")

    def stop(self):
        """Stops the server (SIGTERM, then SIGKILL after a deadline), its PostgreSQL, and the SMTP server."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stop_orphaned_postgres()
        if self.mail is not None:
            self.mail.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def _stop_orphaned_postgres(self):
        """A server that was killed leaves its embedded PostgreSQL running: stop it so it holds nothing."""
        data = os.path.join(self.home, "postgres", "data")
        if not os.path.exists(os.path.join(data, "postmaster.pid")):
            return
        for pg_ctl in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True):
            command = [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]
            if os.geteuid() == 0:
                command = ["runuser", "-u", "postgres", "--", *command]
            subprocess.run(command, capture_output=True, timeout=60)
            return


def parse_demo(output):
    """The users `stedenband demo` prints, one a line: slug, role, e-mail and token, separated by tabs (the
    sign-in links it prints after them, in the same shape with a URL for the token, are left out)."""
    users = []
    for line in output.splitlines():
        fields = line.strip().split("\t")
        if len(fields) == 4 and "@" in fields[2] and "://" not in fields[3]:
            slug, role, address, token = fields
            users.append({"slug": slug, "role": role, "email": address, "token": token})
    return users


def api(stack, method, path, token, body=None):
    """Calls the JSON API as `token`; returns the decoded answer. Waits as the server's `Retry-After` says when
    a burst of set-up calls meets the per-token rate limit (429: nothing was done), as a polite client does."""
    deadline = time.monotonic() + WAIT
    while True:
        request = urllib.request.Request(
            stack.url + "/api/v1" + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=WAIT) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code != 429 or time.monotonic() > deadline:
                raise
            time.sleep(min(float(error.headers.get("Retry-After") or 1), 5))


# MARK: the browser


def new_browser(stack, width=1280, height=900, language="en", phone=False):
    """A fresh headless Chromium (its own profile, so no cookie is shared) with `stack` attached; with `phone`,
    a touch screen of `width` × `height` CSS pixels (a window cannot be narrower than about 500 pixels)."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            # Loud on purpose: CI must run this suite, so a missing browser is a failure, never a skip.
            raise RuntimeError(f"no {path}: install Debian's {package} (scripts/install-deps does)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--lang={language}",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    if phone:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0, "touch": True}}
        )
    # The performance log carries the Network events that tell a page's HTTP status (status_of_page).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=CHROMEDRIVER, log_output=os.path.join(artifacts_folder(), "chromedriver.log"))
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_page_load_timeout(WAIT)
    browser.set_script_timeout(WAIT)
    browser.stack = stack
    browser.client_address = next(CLIENT_ADDRESSES)
    set_headers(browser)
    return browser


# One address of TEST-NET-2 (RFC 5737) per browser: what the server takes for the client (TRUSTED_PROXIES).
CLIENT_ADDRESSES = (f"198.51.100.{n % 254 + 1}" for n in itertools.count())


def set_headers(browser, **headers):
    """Sends `headers` with every request of this browser from now on, beside its X-Forwarded-For."""
    browser.execute_cdp_cmd("Network.enable", {})
    headers = {"X-Forwarded-For": browser.client_address, **headers}
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})


def visit(browser, path):
    """Opens `path` on the server under test."""
    browser.get(browser.stack.url + path)


def current_path(browser):
    return urllib.parse.urlsplit(browser.current_url).path


def wait_for_path(browser, predicate, what):
    """Waits until the browser's path satisfies `predicate`; returns the path."""
    WebDriverWait(browser, WAIT).until(lambda driver: predicate(current_path(driver)), f"waiting for {what}")
    return current_path(browser)


def status_of_page(browser):
    """The HTTP status of the last document the browser loaded (from the DevTools Network events logged
    since the last call); call it once after each navigation that matters."""
    status = None
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            status = message["params"]["response"]["status"]
    if status is None:
        raise AssertionError(f"no document was loaded since the last look (at {browser.current_url})")
    return status


def forget_statuses(browser):
    """Drops the Network events logged so far, so status_of_page sees only what comes next."""
    browser.get_log("performance")


def submit(browser, form_selector):
    """Presses the submit button of the form `form_selector` and waits for the next page to load."""
    form = browser.find_element(By.CSS_SELECTOR, form_selector)
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
    old = browser.find_element(By.TAG_NAME, "html")
    # A mark on the old document: chromedriver does not always report the old <html> as stale when the answer
    # redirects to the same address with a #fragment (an update posted on an activity's page).
    browser.execute_script("window.__stedenbandOldPage = true")
    # On the phone-sized window the button may sit under the bottom edge: bring it to the middle first.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(browser, WAIT).until(
        lambda driver: is_stale(old) or not driver.execute_script("return window.__stedenbandOldPage === true"),
        f"waiting for {form_selector} to post",
    )


def is_stale(element):
    try:
        element.tag_name
        return False
    except Exception:  # StaleElementReferenceException: the page was replaced
        return True


class SignInAllowance:
    """The server's limits on asking for sign-in links (`SignInLimits`: per e-mail address 3 at once, then one a
    minute; per client address 10 at once, then one every 6 seconds), kept as the same token buckets here. The
    whole suite asks from one client address and signs some people in many times, so `sign_in` asks the page
    only while the server would send a mail, and otherwise signs in with an operator's link from
    `stedenband sign-in-link`; a test that asks for more than the limits allows fails as a person would."""

    BUCKETS = {"email": (3, 60.0), "client": (10, 6.0)}

    def __init__(self):
        self._lock = threading.Lock()
        self._levels = {}

    def _level(self, key, now):
        burst, every = self.BUCKETS[key[0]]
        level, since = self._levels.get(key, (float(burst), now))
        return min(float(burst), level + (now - since) / every)

    def available(self, address):
        now = time.monotonic()
        with self._lock:
            # A margin of a tenth: the server's clock started a little before ours.
            return all(self._level(key, now) >= 1.1 for key in (("email", address.lower()), ("client", "")))

    def take(self, address):
        now = time.monotonic()
        with self._lock:
            for key in (("email", address.lower()), ("client", "")):
                self._levels[key] = (self._level(key, now) - 1, now)


SIGN_IN_ALLOWANCE = SignInAllowance()


def sign_in_link(browser, address, next_path=None):
    """Asks for a sign-in link for `address` at /sign-in and returns the link the mail carries."""
    stack = browser.stack
    SIGN_IN_ALLOWANCE.take(address)
    visit(browser, "/sign-in" + ("?" + urllib.parse.urlencode({"next": next_path}) if next_path else ""))
    mark = stack.mail.mark()
    field = browser.find_element(By.CSS_SELECTOR, 'form[action="/sign-in"] input#email')
    field.clear()
    field.send_keys(address)
    submit(browser, 'form[action="/sign-in"]')
    wait_for_path(browser, lambda path: path == "/sign-in/sent", "/sign-in/sent")
    text = message_text(stack.mail.wait_for(address, since=mark))
    links = re.findall(re.escape(stack.url) + r"/sign-in/link/[^\s<>\"')\]]+", text)
    assert links, f"no {stack.url}/sign-in/link/… in the mail to {address}:\n{text}"
    return links[0]


def confirm_sign_in(browser, link):
    """Opens a mailed link and presses its confirm button; returns the path it lands on."""
    browser.get(link)
    submit(browser, "form:has(#confirm-sign-in)")
    return wait_for_path(browser, lambda path: not path.startswith("/sign-in/link/"), "the page after sign-in")


def sign_in(browser, address, next_path=None):
    """Signs `address` in the way a person does: asks for the link, reads the mail, opens it, confirms. When the
    server's limits would send no mail now (`SignInAllowance`), the link comes from `stedenband sign-in-link`
    instead, as an operator hands one out. Returns the link (used now)."""
    if not SIGN_IN_ALLOWANCE.available(address):
        link = sign_in_by_command(browser, address)
        if next_path:
            visit(browser, next_path)
        return link
    link = sign_in_link(browser, address, next_path)
    confirm_sign_in(browser, link)
    return link


# MARK: checks


def axe_check(browser, impacts=("serious", "critical")):
    """Runs axe-core on the current page; fails on any violation of the given impacts, printing them."""
    axe = Axe(browser)
    axe.inject()
    results = axe.run()
    assert results is not None, "axe-core did not answer"
    found = [violation for violation in results["violations"] if violation.get("impact") in impacts]
    if found:
        report = axe.report(found)
        print(report)
        raise AssertionError(f"axe-core: {len(found)} {'/'.join(impacts)} violation(s) on {browser.current_url}\n{report}")
    return results


def screenshot(browser, name):
    """Writes docs/screenshots/NAME.png, only when SCREENSHOTS=1 (so CI never writes into the tree)."""
    if os.environ.get("SCREENSHOTS") != "1":
        return None
    folder = os.path.join(ROOT, "docs", "screenshots")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}.png")
    browser.execute_script("window.scrollTo(0, 0)")
    if not browser.save_screenshot(path):
        raise AssertionError(f"could not write {path}")
    return path


def stedenband(stack, *arguments):
    """Runs `stedenband ARGUMENTS…` against the suite's server database (as `migrate` and `demo` ran); returns
    its standard output, and fails with its output when it exits with an error."""
    return stack._run(*arguments)


def sign_in_by_command(browser, address):
    """Signs `address` in with a link from `stedenband sign-in-link` (as an operator hands one out) instead of
    the sign-in page, whose limit of a few links at once per address a person signed in by several tests of
    the suite would reach. Returns the link (used now)."""
    stack = browser.stack
    output = stack._run("sign-in-link", address)
    paths = re.findall(r"/sign-in/link/[^\s<>\"')\]]+", output)
    assert paths, f"no /sign-in/link/… in what stedenband sign-in-link {address} printed:\n{output}"
    link = stack.url + paths[0]
    confirm_sign_in(browser, link)
    return link


# MARK: weight and width (test_quality.py)


def document_of_page(browser):
    """The HTTP status and the body of the last document the browser loaded, as the server sent it: its bytes
    before any compression (the response's text from DevTools, encoded as the page's UTF-8), not the DOM. Reads
    the Network events logged since the last look, as `status_of_page` does; call one of them per navigation."""
    found = None
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            found = message["params"]
    if found is None:
        raise AssertionError(f"no document was loaded since the last look (at {browser.current_url})")
    body = browser.execute_cdp_cmd("Network.getResponseBody", {"requestId": found["requestId"]})
    data = base64.b64decode(body["body"]) if body.get("base64Encoded") else body["body"].encode("utf-8")
    return found["response"]["status"], data


# What the browser runs to find the widest thing on a page (given the window's width, or `innerWidth`): the first element, in document order, whose right
# edge lies furthest past the window and that no scrolling container of its own (overflow other than visible)
# clips, named by tag, id, classes and the start of its text. `null` when the page is no wider than the window.
WIDEST_ELEMENT = """
const limit = arguments[0] || window.innerWidth;
const width = document.documentElement.scrollWidth;
if (width <= limit) return null;
function clipped(element) {
  for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== 'visible') return true;
  }
  return false;
}
function name(element) {
  let text = element.tagName.toLowerCase();
  if (element.id) text += '#' + element.id;
  for (const c of element.classList) text += '.' + c;
  const words = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  return words ? text + ' "' + words + '"' : text;
}
let widest = null, right = limit;
for (const element of document.body.querySelectorAll('*')) {
  const edge = element.getBoundingClientRect().right + window.scrollX;
  if (edge > right + 0.5 && !clipped(element)) { right = edge; widest = element; }
}
return {width: width, window: limit, widest: widest ? name(widest) : '(none found)', right: Math.round(right)};
"""


def widest_element(browser, width=None):
    """`None` when nothing on the page is wider than the window (or `width` CSS pixels: on a phone the browser
    zooms out to show a page wider than its screen, which widens `innerWidth`); else the page's width, the
    window's, and the element that reaches furthest past it (see WIDEST_ELEMENT)."""
    return browser.execute_script(WIDEST_ELEMENT, width)


def sign_in_platform_by_command(browser, address):
    """Signs the platform administrator `address` in with a link from `stedenband sign-in-link` (a
    `/sign-in/platform/…` link), confirmed as a person does. Returns the link (used now)."""
    stack = browser.stack
    output = stack._run("sign-in-link", address)
    paths = re.findall(r"/sign-in/platform/[^\s<>\"')\]]+", output)
    assert paths, f"no /sign-in/platform/… in what stedenband sign-in-link {address} printed:\n{output}"
    link = stack.url + paths[0]
    browser.get(link)
    submit(browser, "form:has(#confirm-sign-in)")
    wait_for_path(browser, lambda path: not path.startswith("/sign-in/platform/"), "the page after sign-in")
    return link
