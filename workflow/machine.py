"""The SOP as a state machine (django-fsm-2), mixed into ``ApplicationRequest``.

Transition bodies only set in-memory fields; services lock, check, save, and log.
``permission=`` names the SOP actor of each move; django-fsm-2 does not enforce it on
call, so ``workflow.services`` checks ``has_transition_perm`` before every transition.
"""

import datetime

from django.utils import timezone
from django_fsm import transition

from workflow.roles import permission_for
from workflow.states import Role, State

PEMOHON = permission_for(Role.PEMOHON)
KASI = permission_for(Role.KASI)
KABID = permission_for(Role.KABID)
KADIS = permission_for(Role.KADIS)
PRAKOM = permission_for(Role.PRAKOM)


class WorkflowTransitions:
    # Fields of the model this is mixed into (requests_intake.models.ApplicationRequest).
    registration_number: str | None
    submitted_at: datetime.datetime | None
    decision_needed: bool | None
    decision_reason: str
    completed_at: datetime.datetime | None
    presentation_rounds: int
    report_rounds: int

    # Step 1
    @transition(field="state", source=State.DRAFT, target=State.RECEIVE, permission=PEMOHON)
    def submit(self, *, by, registration_number: str) -> None:
        self.registration_number = registration_number
        self.submitted_by = by
        self.submitted_at = timezone.now()

    # Step 2
    @transition(field="state", source=State.RECEIVE, target=State.KASI_FORWARD, permission=KASI)
    def receive(self) -> None:
        pass

    # Step 3 (procedure c: Kasi → Kabid; procedure d: Kabid → Kadis)
    @transition(
        field="state", source=State.KASI_FORWARD, target=State.KABID_FORWARD, permission=KASI
    )
    def forward_to_kabid(self) -> None:
        pass

    @transition(field="state", source=State.KABID_FORWARD, target=State.DECISION, permission=KABID)
    def forward_to_kadis(self) -> None:
        pass

    # Step 4
    @transition(field="state", source=State.DECISION, target=State.DESIGN, permission=KADIS)
    def decide_needed(self, *, reason: str, prakom) -> None:
        self.decision_needed = True
        self.decision_reason = reason
        self.assigned_prakom = prakom

    @transition(field="state", source=State.DECISION, target=State.REJECTED, permission=KADIS)
    def decide_not_needed(self, *, reason: str) -> None:
        self.decision_needed = False
        self.decision_reason = reason
        self.completed_at = timezone.now()

    # Step 5
    @transition(field="state", source=State.DESIGN, target=State.PRESENTATION, permission=PRAKOM)
    def finish_design(self) -> None:
        pass

    # Step 6
    @transition(field="state", source=State.PRESENTATION, target=State.REVIEW, permission=PRAKOM)
    def record_presentation(self) -> None:
        self.presentation_rounds += 1

    # Step 7: accepted, or back to step 6 for another round with the users.
    @transition(field="state", source=State.REVIEW, target=State.REPORT, permission=PRAKOM)
    def accept_review(self) -> None:
        pass

    @transition(field="state", source=State.REVIEW, target=State.PRESENTATION, permission=PRAKOM)
    def request_another_round(self) -> None:
        pass

    # Step 8
    @transition(field="state", source=State.REPORT, target=State.KASI_CHECK, permission=PRAKOM)
    def submit_report(self) -> None:
        self.report_rounds += 1

    # Steps 9–11: each check accepts, or returns the report to step 8.
    @transition(field="state", source=State.KASI_CHECK, target=State.KABID_CHECK, permission=KASI)
    def kasi_accept(self) -> None:
        pass

    @transition(field="state", source=State.KASI_CHECK, target=State.REPORT, permission=KASI)
    def kasi_return(self) -> None:
        pass

    @transition(field="state", source=State.KABID_CHECK, target=State.KADIS_CHECK, permission=KABID)
    def kabid_accept(self) -> None:
        pass

    @transition(field="state", source=State.KABID_CHECK, target=State.REPORT, permission=KABID)
    def kabid_return(self) -> None:
        pass

    @transition(
        field="state", source=State.KADIS_CHECK, target=State.SOCIALISATION, permission=KADIS
    )
    def kadis_accept(self) -> None:
        pass

    @transition(field="state", source=State.KADIS_CHECK, target=State.REPORT, permission=KADIS)
    def kadis_return(self) -> None:
        pass

    # Step 12
    @transition(
        field="state", source=State.SOCIALISATION, target=State.COMPLETED, permission=PRAKOM
    )
    def finish_socialisation(self) -> None:
        self.completed_at = timezone.now()

    # --- The office around the steps: returns to the unit, the unit's agreement ---------
    # Step 2 (and 3 after the Kabid sent it back): the Kasi returns the proposal to the
    # unit to be completed. The unit's time holding it is measured as step 1, the unit's.
    @transition(
        field="state",
        source=[State.RECEIVE, State.KASI_FORWARD],
        target=State.UNIT_COMPLETION,
        permission=KASI,
    )
    def kasi_return_to_unit(self) -> None:
        pass

    # Step 3: the Kabid sends it back to the Kasi, or to the unit.
    @transition(
        field="state", source=State.KABID_FORWARD, target=State.KASI_FORWARD, permission=KABID
    )
    def kabid_return_to_kasi(self) -> None:
        pass

    @transition(
        field="state", source=State.KABID_FORWARD, target=State.UNIT_COMPLETION, permission=KABID
    )
    def kabid_return_to_unit(self) -> None:
        pass

    # Step 1 again: the unit sends the completed proposal back to the Kasi (step 2).
    @transition(
        field="state", source=State.UNIT_COMPLETION, target=State.RECEIVE, permission=PEMOHON
    )
    def resubmit(self) -> None:
        pass

    # Step 7: Prakom asks the unit to agree to the design of this round; the unit answers.
    @transition(field="state", source=State.REVIEW, target=State.UNIT_AGREEMENT, permission=PRAKOM)
    def request_agreement(self) -> None:
        pass

    @transition(field="state", source=State.UNIT_AGREEMENT, target=State.REVIEW, permission=PEMOHON)
    def unit_agree(self) -> None:
        pass

    @transition(field="state", source=State.UNIT_AGREEMENT, target=State.REVIEW, permission=PEMOHON)
    def unit_request_changes(self) -> None:
        pass

    # Step 4, *gunakan aplikasi yang ada*: ends like *tidak perlu*, naming the application.
    @transition(field="state", source=State.DECISION, target=State.REJECTED, permission=KADIS)
    def decide_use_existing(self, *, reason: str) -> None:
        self.decision_needed = False
        self.decision_reason = reason
        self.completed_at = timezone.now()
