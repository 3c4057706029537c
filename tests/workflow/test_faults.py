"""A crash in the middle of a transition leaves no trace: state, log, records and documents
all roll back, and nothing is sent or rendered after it.

The crash is simulated by making a write inside the service's transaction fail after the
proposal's state was already saved (the log row, or the step's record).
"""

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from workflow import demo
from workflow.models import Receipt, TransitionLog
from workflow.services import take_receive
from workflow.states import State


class Crash(Exception):
    pass


def crash(*args, **kwargs):
    raise Crash("simulated fault")


def snapshot(req) -> dict:
    """Everything a transition could leave behind: the proposal's row and every table's size."""
    req.refresh_from_db()
    counts = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }
    proposal = {
        "state": req.state,
        "revision": req.revision,
        "state_entered_at": req.state_entered_at,
        "due_date": req.due_date,
    }
    return {"proposal": proposal, "counts": counts}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def receive(req, actors):
    return take_receive(
        actor=actors["kasi"],
        proposal_id=req.pk,
        revision=req.revision,
        **demo.default_kwargs("receive", actors),
    )


@pytest.mark.parametrize(
    "target",
    [(TransitionLog, "the log row"), (Receipt, "the step's record")],
    ids=lambda t: t[1],
)
def test_a_crash_after_the_state_change_leaves_no_trace(
    make_request, actors, monkeypatch, django_capture_on_commit_callbacks, target
):
    model, _label = target
    req = make_request(State.RECEIVE)
    before = snapshot(req)
    monkeypatch.setattr(model, "save", crash)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Crash):
        receive(req, actors)
    assert snapshot(req) == before
    assert callbacks == []  # no document issued, no e-mail queued
    assert mail.outbox == []


def test_the_same_transition_without_the_crash_does_leave_its_trace(
    make_request, actors, django_capture_on_commit_callbacks
):
    """The control: the snapshot would have seen a completed transition."""
    req = make_request(State.RECEIVE)
    before = snapshot(req)
    with django_capture_on_commit_callbacks(execute=True):
        receive(req, actors)
    after = snapshot(req)
    assert after["proposal"]["state"] == State.KASI_FORWARD
    assert (
        after["counts"]["workflow.TransitionLog"] == before["counts"]["workflow.TransitionLog"] + 1
    )
    assert after["counts"]["workflow.Receipt"] == before["counts"]["workflow.Receipt"] + 1


def test_a_crash_behind_the_action_page_leaves_no_trace(make_request, clients, monkeypatch):
    req = make_request(State.RECEIVE)
    before = snapshot(req)
    monkeypatch.setattr(TransitionLog, "save", crash)
    data = {"receive-revision": req.revision, "receive-agenda_number": "AG-9"}
    data |= {"receive-received_date": req.letter_date.isoformat(), "receive-sifat": "biasa"}
    with pytest.raises(Crash):
        clients["kasi"].post(reverse("workflow:act", args=[req.pk, "receive"]), data)
    assert snapshot(req) == before
