"""One service per SOP transition, and the other writes on a running proposal.

``take_<transition>`` takes one transition (declared in ``workflow.transitions``). Every
one: locks the proposal row, refuses a stale form (``revision``), checks the actor's
role, unit and assignment through django-fsm-2's ``has_transition_perm``, checks the
documents the transition requires, applies it, saves, writes exactly one
``TransitionLog`` row and the step's record, all inside one transaction; documents and
e-mails follow after the commit.

By step group: ``intake`` (steps 1–4 and the returns to the unit), ``design`` (steps
5–7, the meetings with the unit's users and the unit's agreement), ``delivery`` (steps
8–12, the application record and the handover), ``proposals`` (writes that are not
transitions); ``core`` holds ``_take``. Everything is importable from here.
"""

from workflow.models import pending_meeting
from workflow.services.core import STALE_MESSAGE, RecordOf, transition_role
from workflow.services.delivery import (
    take_finish_socialisation,
    take_kabid_accept,
    take_kabid_return,
    take_kadis_accept,
    take_kadis_return,
    take_kasi_accept,
    take_kasi_return,
    take_submit_report,
)
from workflow.services.design import (
    invitation_confirm,
    invited_people,
    meeting_schedule,
    take_accept_review,
    take_finish_design,
    take_record_presentation,
    take_request_agreement,
    take_request_another_round,
    take_unit_agree,
    take_unit_request_changes,
    unit_agreed,
)
from workflow.services.intake import (
    take_decide_needed,
    take_decide_not_needed,
    take_decide_use_existing,
    take_forward_to_kabid,
    take_forward_to_kadis,
    take_kabid_return_to_kasi,
    take_kabid_return_to_unit,
    take_kasi_return_to_unit,
    take_receive,
    take_resubmit,
    take_submit,
)
from workflow.services.proposals import proposal_delete_draft, proposal_reassign_prakom

__all__ = [
    "STALE_MESSAGE",
    "RecordOf",
    "invitation_confirm",
    "invited_people",
    "meeting_schedule",
    "pending_meeting",
    "proposal_delete_draft",
    "proposal_reassign_prakom",
    "take_accept_review",
    "take_decide_needed",
    "take_decide_not_needed",
    "take_decide_use_existing",
    "take_finish_design",
    "take_finish_socialisation",
    "take_forward_to_kabid",
    "take_forward_to_kadis",
    "take_kabid_accept",
    "take_kabid_return",
    "take_kabid_return_to_kasi",
    "take_kabid_return_to_unit",
    "take_kadis_accept",
    "take_kadis_return",
    "take_kasi_accept",
    "take_kasi_return",
    "take_kasi_return_to_unit",
    "take_receive",
    "take_record_presentation",
    "take_request_agreement",
    "take_request_another_round",
    "take_resubmit",
    "take_submit",
    "take_submit_report",
    "take_unit_agree",
    "take_unit_request_changes",
    "transition_role",
    "unit_agreed",
]
