"""The transition registry is the state machine's transitions, each with its service.

``workflow.transitions`` declares every SOP transition once; these tests keep it equal to
the django-fsm machine on ``ApplicationRequest`` and keep the documents' checkpoint map
(``reports.documents.CHECKPOINTS``) within it.
"""

import inspect

from django_fsm import Transition as FsmTransition

from reports.documents import CHECKPOINTS
from requests_intake.models import ApplicationRequest
from workflow import services
from workflow.transitions import TRANSITIONS, UPLOAD_KINDS_BY_STATE, upload_kinds


def machine_transitions() -> dict[str, list[FsmTransition]]:
    found: dict[str, list[FsmTransition]] = {}
    for transition in ApplicationRequest._meta.get_field("state").get_all_transitions(
        ApplicationRequest
    ):
        found.setdefault(transition.name, []).append(transition)
    return found


def test_registry_equals_the_state_machine():
    assert set(TRANSITIONS) == set(machine_transitions())


def test_each_declared_role_is_the_machine_permission():
    for name, moves in machine_transitions().items():
        assert {move.permission.role for move in moves} == {TRANSITIONS[name].role}, name


def test_documents_checkpoints_name_declared_transitions():
    assert set(CHECKPOINTS) <= set(TRANSITIONS)


def test_every_transition_has_its_written_out_service():
    for name, transition in TRANSITIONS.items():
        service = transition.service
        assert service.__name__ == f"take_{name}"
        assert getattr(services, service.__name__) is service
        params = inspect.signature(service).parameters
        assert {"actor", "proposal_id", "revision"} <= set(params), name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values()), name


def test_every_form_field_is_a_service_argument():
    for name, transition in TRANSITIONS.items():
        params = set(inspect.signature(transition.service).parameters)
        form = transition.form()
        folded = {field for fields in form.FOLDED.values() for field in fields}
        fields = set(form.fields) - {"revision"} - folded
        assert fields | set(form.FOLDED) <= params, name


def test_required_documents_can_be_uploaded_where_they_are_required():
    for name, transition in TRANSITIONS.items():
        for state in transition.sources:
            assert set(transition.required_kinds) <= set(upload_kinds(state)), name


def test_upload_kinds_per_state_are_unchanged():
    assert {state: set(kinds) for state, kinds in UPLOAD_KINDS_BY_STATE.items()} == {
        "draft": {"request_letter", "kak_tor"},
        "s01_completion": {"request_letter"},
        "s05_design": {"data_structure", "program_flow", "interface_design"},
        "s06_presentation": {
            "presentation_material",
            "presentation_attendance",
            "data_structure",
            "program_flow",
            "interface_design",
        },
        "s07_review": {"review_notes", "data_structure", "program_flow", "interface_design"},
        "s08_report": {"manual", "report"},
        "s12_socialisation": {"socialisation_material", "socialisation_attendance"},
    }
