"""Every transition × every role × every state: only the SOP's actor in the right state moves.

The expected table is written out from SOP.md, independent of the model's decorators.
"""

import pytest
from django.db import transaction

from requests_intake.models import ApplicationRequest
from requests_intake.services import attachment_upload
from tests.conftest import make_user
from workflow import demo
from workflow.errors import ActionError, ActionForbidden
from workflow.models import TransitionLog
from workflow.states import State
from workflow.transitions import TRANSITIONS

S = State
# transition: (source state, SOP actor, target state)
SOP_TABLE = {
    "submit": (S.DRAFT, "pemohon", S.RECEIVE),
    "receive": (S.RECEIVE, "kasi", S.KASI_FORWARD),
    "forward_to_kabid": (S.KASI_FORWARD, "kasi", S.KABID_FORWARD),
    "forward_to_kadis": (S.KABID_FORWARD, "kabid", S.DECISION),
    "decide_needed": (S.DECISION, "kadis", S.DESIGN),
    "decide_not_needed": (S.DECISION, "kadis", S.REJECTED),
    "finish_design": (S.DESIGN, "prakom", S.PRESENTATION),
    "record_presentation": (S.PRESENTATION, "prakom", S.REVIEW),
    "accept_review": (S.REVIEW, "prakom", S.REPORT),
    "request_another_round": (S.REVIEW, "prakom", S.PRESENTATION),
    "submit_report": (S.REPORT, "prakom", S.KASI_CHECK),
    "kasi_accept": (S.KASI_CHECK, "kasi", S.KABID_CHECK),
    "kasi_return": (S.KASI_CHECK, "kasi", S.REPORT),
    "kabid_accept": (S.KABID_CHECK, "kabid", S.KADIS_CHECK),
    "kabid_return": (S.KABID_CHECK, "kabid", S.REPORT),
    "kadis_accept": (S.KADIS_CHECK, "kadis", S.SOCIALISATION),
    "kadis_return": (S.KADIS_CHECK, "kadis", S.REPORT),
    "finish_socialisation": (S.SOCIALISATION, "prakom", S.COMPLETED),
    # Returns for completion (steps 2–3) and the unit's agreement (step 7).
    "kasi_return_to_unit": ((S.RECEIVE, S.KASI_FORWARD), "kasi", S.UNIT_COMPLETION),
    "kabid_return_to_kasi": (S.KABID_FORWARD, "kabid", S.KASI_FORWARD),
    "kabid_return_to_unit": (S.KABID_FORWARD, "kabid", S.UNIT_COMPLETION),
    "resubmit": (S.UNIT_COMPLETION, "pemohon", S.RECEIVE),
    "request_agreement": (S.REVIEW, "prakom", S.UNIT_AGREEMENT),
    "unit_agree": (S.UNIT_AGREEMENT, "pemohon", S.REVIEW),
    "unit_request_changes": (S.UNIT_AGREEMENT, "pemohon", S.REVIEW),
    "decide_use_existing": (S.DECISION, "kadis", S.REJECTED),
}
# Everyone who might try: the SOP roles, the other unit, an unassigned Prakom, the admin.
PEOPLE = ("pemohon", "pemohon2", "kasi", "kabid", "kadis", "prakom", "prakom2", "admin")


class _Rollback(Exception):
    pass


def test_table_covers_every_transition():
    assert set(SOP_TABLE) == set(TRANSITIONS)


@pytest.mark.parametrize("state", list(State.values))
def test_only_the_sop_actor_in_the_right_state_succeeds(state, users, actors, make_request):
    users = {**users, "prakom2": make_user("prakom2", "prakom")}
    req = make_request(state)
    assert req.state == state
    # Give the step the documents it needs, so a refusal can only come from role or state.
    for name, (source, role, _target) in SOP_TABLE.items():
        if state in (source if isinstance(source, tuple) else (source,)) and state != S.DRAFT:
            for kind in TRANSITIONS[name].required_kinds:
                attachment_upload(
                    actor=actors[role],
                    request_id=req.pk,
                    kind=kind,
                    upload=demo.sample_upload(kind),
                )
    # A presentation or socialisation is recorded only once it was scheduled.
    for name, kind in demo.MEETING_OF.items():
        if SOP_TABLE[name][0] == state:
            demo.schedule_if_needed(req, kind, actors["prakom"], actors)
    req.refresh_from_db()
    before = (req.state, req.revision, TransitionLog.objects.filter(request=req).count())

    outcomes = {}
    for name, transition in TRANSITIONS.items():
        source, sop_role, target = SOP_TABLE[name]
        for person in PEOPLE:
            kwargs = demo.default_kwargs(name, actors)
            try:
                with transaction.atomic():
                    transition.service(
                        actor=users[person], proposal_id=req.pk, revision=req.revision, **kwargs
                    )
                    moved = ApplicationRequest.objects.get(pk=req.pk)
                    log = TransitionLog.objects.filter(request=req).order_by("-pk").first()
                    outcomes[(name, person)] = ("ok", moved.state, log.actor.username, log.role)
                    raise _Rollback
            except _Rollback:
                pass
            except ActionForbidden:
                outcomes[(name, person)] = ("forbidden",)
            except ActionError:
                outcomes[(name, person)] = ("refused",)
            after = ApplicationRequest.objects.get(pk=req.pk)
            assert (
                after.state,
                after.revision,
                TransitionLog.objects.filter(request=req).count(),
            ) == before, (name, person)

    for (name, person), outcome in outcomes.items():
        source, sop_role, target = SOP_TABLE[name]
        allowed = state in (source if isinstance(source, tuple) else (source,))
        allowed = allowed and person == sop_role
        if allowed:
            assert outcome == ("ok", target, person, sop_role), (name, person, outcome)
        else:
            assert outcome[0] in ("forbidden", "refused"), (name, person, outcome)
        # Holding the wrong role is always a 403, whatever the state.
        holds_role = person == sop_role or (person, sop_role) in {
            ("pemohon2", "pemohon"),
            ("prakom2", "prakom"),
        }
        if not holds_role:
            assert outcome == ("forbidden",), (name, person, outcome)
