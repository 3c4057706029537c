"""Several tables' rows in one query (``workflow.rows``), as the ORM would have loaded them."""

import pytest

from workflow.models import Meeting, MeetingKind, PresentationRound, TransitionLog
from workflow.rows import Part, fetch
from workflow.states import State


def _parts(proposal_id: int) -> dict[str, Part]:
    return {
        "log": Part(
            TransitionLog.objects.filter(request_id=proposal_id),
            ("transition", "created_at", "acting"),
            {"actor": ("username",), "acting": ("kind",)},
        ),
        "presentations": Part(
            PresentationRound.objects.filter(request_id=proposal_id),
            ("held_on", "attendees", "created_at"),
        ),
        "meetings": Part(
            Meeting.objects.filter(request_id=proposal_id), ("date", "time", "held", "created_at")
        ),
    }


def test_rows_hold_the_values_the_orm_reads(make_request, django_assert_num_queries):
    req = make_request(State.REVIEW)
    with django_assert_num_queries(1):
        rows = fetch(_parts, req.pk)
        log = [(r.transition, r.created_at, r.actor.username, r.acting) for r in rows["log"]]
    assert log == [
        (r.transition, r.created_at, r.actor.username, r.acting)
        for r in TransitionLog.objects.filter(request=req).select_related("actor", "acting")
    ]
    [presentation] = rows["presentations"]
    stored = PresentationRound.objects.get(request=req)
    assert (presentation.held_on, presentation.attendees) == (stored.held_on, stored.attendees)
    [meeting] = rows["meetings"]
    stored_meeting = Meeting.objects.get(request=req, kind=MeetingKind.PRESENTATION)
    assert (meeting.date, meeting.time, meeting.held, meeting.created_at) == (
        stored_meeting.date,
        stored_meeting.time,
        stored_meeting.held,
        stored_meeting.created_at,
    )
    assert meeting.held is True
    assert "note" in rows["log"][0].get_deferred_fields()  # not read: reading it costs a query


def test_the_sql_is_reused_with_each_proposals_id(make_request):
    first, second = make_request(State.RECEIVE), make_request(State.DECISION)
    counts = [len(fetch(_parts, req.pk)["log"]) for req in (first, second, first)]
    assert counts == [
        TransitionLog.objects.filter(request=req).count() for req in (first, second, first)
    ]


def _differs_beyond_the_id(proposal_id: int) -> dict[str, Part]:
    """The id also picks a number of rows: the SQL of one proposal would not serve another."""
    found = TransitionLog.objects.filter(request_id=proposal_id, seq__lte=abs(proposal_id) % 7)
    return {"log": Part(found, ("transition",))}


def test_parts_that_differ_beyond_the_id_are_refused(db):
    with pytest.raises(ValueError, match="differ beyond"):
        fetch(_differs_beyond_the_id, 1)
