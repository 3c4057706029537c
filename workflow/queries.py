"""The proposal's QuerySet: the filters pages, reminders and the dashboard share.

``ApplicationRequest.objects`` is this QuerySet (``requests_intake.models``): the proposal
lives in the intake app, the rules these filters apply (who sees, who acts, which states
run) are the workflow's.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from workflow.roles import is_official, proposals_in_scope, user_roles
from workflow.states import ACTOR_OF_STATE, RUNNING_STATES, Role, State

if TYPE_CHECKING:
    from requests_intake.models import ApplicationRequest  # noqa: F401 - the QuerySet's model


def waiting_condition(user: Any) -> Q:
    """Proposals waiting for this person's action: the SQL reading of ``roles.can_act_as``
    for the actor of each state."""
    roles = user_roles(user)
    condition = Q(pk__in=[])
    for state, role in ACTOR_OF_STATE.items():
        if role in roles:
            condition |= Q(state=state) & proposals_in_scope(user, role)
    return condition


class ProposalQuerySet(models.QuerySet["ApplicationRequest"]):
    def visible_to(self, user: Any) -> ProposalQuerySet:
        """Proposals a person may see.

        Diskominfo staff see every submitted proposal; a requesting unit sees its own,
        drafts included. Drafts are the unit's private work until submitted.
        """
        condition = Q(pk__in=[])
        if is_official(user):
            condition |= ~Q(state=State.DRAFT)
        if Role.PEMOHON in user_roles(user) and user.unit_id is not None:
            condition |= Q(unit_id=user.unit_id)
        return self.filter(condition)

    def waiting_for(self, user: Any) -> ProposalQuerySet:
        """Proposals waiting for this person's action (their inbox)."""
        return self.filter(waiting_condition(user))

    def running(self) -> ProposalQuerySet:
        """Submitted and not yet final."""
        return self.filter(state__in=RUNNING_STATES)

    def overdue(self, today: datetime.date | None = None) -> ProposalQuerySet:
        """Running past the due date of the step they are in."""
        return self.running().filter(due_date__lt=today or timezone.localdate())

    def due_by(self, day: datetime.date) -> ProposalQuerySet:
        """Waiting for someone (drafts included) with a step due on ``day`` or before."""
        return self.filter(state__in=(State.DRAFT, *RUNNING_STATES), due_date__lte=day)
