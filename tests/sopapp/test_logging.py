"""A refused, missing or wrong-method request is written to the log once, with DEBUG on (the
development server) and off (production)."""

import io
import logging

import pytest
from django.urls import reverse

from workflow.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def console():
    """What the console handlers on the way from ``django.request`` to the root write."""
    buffer = io.StringIO()
    swapped = []
    logger: logging.Logger | None = logging.getLogger("django.request")
    while logger is not None:
        for handler in logger.handlers:
            if type(handler) is logging.StreamHandler:  # not pytest's own capturing handlers
                swapped.append((handler, handler.setStream(buffer)))
        logger = logger.parent if logger.propagate else None
    assert swapped, "no console handler to watch"
    yield buffer
    for handler, stream in swapped:
        if stream is not None:
            handler.setStream(stream)


def logged(caplog, console, line: str) -> tuple[int, int]:
    records = [r for r in caplog.records if r.name == "django.request"]
    assert all(r.getMessage() == line for r in records), [r.getMessage() for r in records]
    return len(records), console.getvalue().count(line)


def test_a_missing_page_is_logged_once(debug, clients, caplog, console):
    assert clients["pemohon"].get("/tidak-ada/").status_code == 404
    assert logged(caplog, console, "Not Found: /tidak-ada/") == (1, 1)


def test_a_proposal_of_another_unit_is_logged_once(debug, clients, make_request, caplog, console):
    req = make_request(State.RECEIVE)
    caplog.clear()
    assert clients["pemohon2"].get(req.get_absolute_url()).status_code == 404
    assert logged(caplog, console, f"Not Found: {req.get_absolute_url()}") == (1, 1)


def test_a_refusal_is_logged_once(debug, clients, caplog, console):
    assert clients["pemohon"].get("/dasbor/").status_code == 403
    assert logged(caplog, console, "Forbidden (Permission denied): /dasbor/") == (1, 1)


def test_a_form_address_opened_as_a_page_is_logged_once(
    debug, clients, make_request, caplog, console
):
    url = reverse("workflow:act", args=[make_request(State.RECEIVE).pk, "receive"])
    caplog.clear()
    response = clients["kasi"].get(url)
    assert response.status_code == 405 and "Alamat ini bukan halaman" in response.content.decode()
    assert logged(caplog, console, f"Method Not Allowed (GET): {url}") == (1, 1)
