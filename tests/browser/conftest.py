"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

How the pieces fit:

- `live_server` runs the whole app (every middleware, the CSP, WhiteNoise) in a thread. It wraps
  the app in django.contrib.staticfiles' StaticFilesHandler, which serves /static/ from the
  finders (dsr/static, including dsr/static/vendor that `make` copies from node_modules), so pages
  are styled without running collectstatic. `assert_styled` checks that the CSS really applied.
- Requesting `live_server` makes every test transactional: the database is flushed after each
  test, which also empties what data migrations put there. Each test here puts the national risk
  factors back by running that migration's function again. (Django's serialized rollback would
  restore them, but breaks when another transactional test has flushed first: post_migrate
  recreates the content types and restoring the snapshot then collides with them.) The browser
  tests run after all others, so no later test finds the database emptied.
- The test thread and the server's request threads share one in-memory SQLite connection, and every
  request runs in one transaction (ATOMIC_REQUESTS). Two requests at once (a page's autosave
  landing while another form is sent) would interleave their transactions on that connection and
  break it for the rest of the run. So requests take turns: the server's app holds a lock for the
  whole of each request, and the test thread's queries wait for the same lock. Tests still set up
  their data before the browser loads a page and read the database after a page has loaded.
  Playwright's sync API marks an event loop as running in the test thread, and Django's
  thread-critical connection handler then hands out a second set of connection objects. So the
  browser starts before any test touches the database or the live server captures the connection
  it shares.
- How the tests drive the pages (signing in, date inputs, the register list, the referral form) is
  written once, in pages.py.
"""

import json
import os
import threading
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import Browser, Page, Response, sync_playwright
from pytest_django.live_server_helper import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
# thread with a running loop unless told it is safe (as `make test` does).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests after every other test (a stable sort keeps the rest in order).

    They are the slowest, and they leave the database flushed: a transactional test without
    serialized rollback that ran after them would find no risk factors.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# Held by the live server for the whole of each request, and by the test thread for each query.
_ONE_AT_A_TIME = threading.RLock()


class _TakingTurns:
    """The live server's app, one request at a time (see the module notes).

    The response is read out before the lock is let go, so a streamed download cannot touch the
    database after another request has started.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        with _ONE_AT_A_TIME:
            response = self.app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                if hasattr(response, "close"):
                    response.close()


def _query_in_turn(execute, sql, params, many, context):
    with _ONE_AT_A_TIME:
        return execute(sql, params, many, context)


@pytest.fixture(scope="session")
def live_server(request) -> Iterator[LiveServer]:
    """pytest-django's live server, with requests taking turns on the shared connection."""
    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.static_handler = lambda app: _TakingTurns(StaticFilesHandler(app))
    shared = list(server.thread.connections_override.values())
    for connection in shared:
        connection.execute_wrappers.append(_query_in_turn)
    server.start()
    yield server
    server.stop()
    for connection in shared:
        connection.execute_wrappers.remove(_query_in_turn)


@pytest.fixture(autouse=True)
def _national_risk_factors(browser, transactional_db):
    """Put back the risk factors that the live server's flushes take away (see the module notes).

    Asks for the browser first so that every test's database work uses the connection objects
    Django gives out once Playwright is running.
    """
    import_module("dsr.ratings.migrations.0002_national_risk_factors").add_factors(apps, None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser: Browser, **context_options) -> Iterator[Page]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
    with _ONE_AT_A_TIME:  # a request the page sent last finishes before the database is flushed
        pass


@pytest.fixture
def page(browser, live_server) -> Iterator[Page]:
    """A fresh browser tab (new cookies and storage) for each test."""
    yield from _new_page(browser, base_url=live_server.url)


@pytest.fixture
def page_without_javascript(browser, live_server) -> Iterator[Page]:
    yield from _new_page(browser, base_url=live_server.url, java_script_enabled=False)


def is_htmx(response: Response) -> bool:
    """A response to a request htmx made (for page.expect_response)."""
    return response.request.headers.get("hx-request") == "true"


def assert_styled(page: Page) -> None:
    """The design system's stylesheet loaded and applied (body font and header colour)."""
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Frutiger" in font, f"NHS.UK stylesheet not applied, body font is {font!r}"
    header = page.evaluate("getComputedStyle(document.querySelector('.nhsuk-header')).backgroundColor")
    assert header == "rgb(0, 94, 184)", f"NHS.UK stylesheet not applied, header colour is {header!r}"


def serious_accessibility_problems(page: Page) -> list[dict]:
    """Run axe-core on the page; return violations with impact serious or critical.

    axe is evaluated as a string rather than added as a script tag: the app's
    Content-Security-Policy would refuse an inline or injected script.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text())
    results = page.evaluate("async () => await axe.run(document)")
    return [
        v
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") and not _is_design_system_file_upload_name(v)
    ]


def assert_no_serious_accessibility_problems(page: Page) -> None:
    """axe-core finds no serious or critical problem on the page as shown."""
    problems = serious_accessibility_problems(page)
    assert not problems, describe_violations(page.url, problems)


def _is_design_system_file_upload_name(violation: dict) -> bool:
    """nhsuk-frontend's enhanced file upload names its drop button with aria-labelledby="label comma
    itself". The accessible-name algorithm includes the button's own text through that self-reference,
    but axe's label-content-name-mismatch does not follow it. This one finding, on that one component's
    button, is the design system's and is set aside; any other element or rule still fails the scan."""
    return violation["id"] == "label-content-name-mismatch" and all(
        "nhsuk-file-upload__drop-button" in node["html"] for node in violation["nodes"]
    )


def duplicate_ids_and_stray_labels(page: Page) -> list[str]:
    """Problems axe-core no longer reports: repeated ids, and labels whose `for` misses a form control.

    axe finds a control's label by the control's id, so a label whose `for` id is taken by an
    earlier element (and so labels nothing a browser would focus) passes axe's "label" rule.
    """
    return page.evaluate(
        """() => {
            const problems = [];
            const seen = new Map();
            for (const el of document.querySelectorAll("[id]")) {
                seen.set(el.id, (seen.get(el.id) || 0) + 1);
            }
            for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
            for (const label of document.querySelectorAll("label[for]")) {
                const target = document.getElementById(label.htmlFor);
                if (!target || !target.labels || ![...target.labels].includes(label)) {
                    const text = label.textContent.trim();
                    problems.push(`label "${text}" is for "${label.htmlFor}", not a form control`);
                }
            }
            return problems;
        }"""
    )


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious or critical accessibility problems on {url}:"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.extend("      " + s for s in node["failureSummary"].splitlines())
    return "\n".join(lines)
