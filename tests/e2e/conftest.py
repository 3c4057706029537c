"""Browser tests: the SOP clicked through in Debian's Chromium (pytest-playwright, live_server).

The browser is never downloaded: Chromium is taken from ``$SOPAPP_CHROMIUM`` or
``/usr/bin/chromium`` (``apt-get install chromium``). Where it is missing the browser tests are
skipped with that hint, unless ``SOPAPP_REQUIRE_BROWSER=1`` (set by ``.ci/run``): then they fail.

Every browser test is transactional (the server thread must see the test's rows) with
serialized rollback (the flush would otherwise wipe the roles and step standards that the
migrations create). A flush also leaves nothing for ordinary tests, and Playwright's event
loop stays up for the session, so the browser tests are moved to the end of the run.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps would otherwise raise SynchronousOnlyOperation.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.e2e.ui import UI  # noqa: E402

CHROMIUM = os.environ.get("SOPAPP_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("SOPAPP_REQUIRE_BROWSER", "") not in ("", "0")
# The machine has no outside network; without these flags Chromium keeps trying to reach it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
E2E_DIR = Path(__file__).parent


def browser_missing() -> str | None:
    if os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
        "(Debian/Ubuntu) or set SOPAPP_CHROMIUM to a Chromium binary to run the browser tests"
    )


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering, which would move them
def pytest_collection_modifyitems(config, items):
    browser = [item for item in items if E2E_DIR in Path(item.path).parents]
    if not browser:
        return
    others = [item for item in items if E2E_DIR not in Path(item.path).parents]
    items[:] = others + browser
    problem = browser_missing()
    for item in browser:
        item.add_marker(pytest.mark.browser)
        if problem and not REQUIRED:
            item.add_marker(pytest.mark.skip(reason=problem))


@pytest.fixture(scope="session", autouse=True)
def _browser_required():
    """Before Playwright tries to launch it: say plainly why CI has no browser."""
    problem = browser_missing()
    if problem:
        pytest.fail(f"SOPAPP_REQUIRE_BROWSER is set but {problem}", pytrace=False)


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup, django_db_blocker):
    """The migrations' rows that serialized rollback restores, read before Playwright starts."""
    from django.db import connections

    with django_db_blocker.unblock():
        return {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }


@pytest.fixture(scope="session")
def playwright(_serialized_database, playwright):
    """Playwright, with the database connections told again what serialized rollback restores.

    Once Playwright's sync API is running, Django's context-local ``connections`` hands this
    thread new connection objects, which lack what the test database setup stored on the old
    ones; without it every test after the first would start with no roles in the database.
    """
    from django.db import connections

    for alias, contents in _serialized_database.items():
        connections[alias]._test_serialized_contents = contents
    return playwright


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, started with a MEDIA_URL its media handler can parse.

    Uploads are never served by URL here (``MEDIA_URL = None``), but Django's live server
    wraps the app in a media handler that cannot take ``None``. A URL on another host makes
    that handler pass every request on; it is read once, when the server starts.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="http://media.invalid/"):
        server = LiveServer(request.config.getvalue("liveserver") or "localhost")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
    }


@pytest.fixture
def ui(page, users) -> UI:
    """The browser page with the app's own vocabulary; fails the test on a console error."""
    helper = UI(page)
    yield helper
    helper.assert_no_console_errors()
