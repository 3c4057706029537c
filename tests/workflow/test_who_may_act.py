"""Who may act: the Python check, the inbox query and the recipients query agree.

``workflow.roles.SCOPE`` is the rule; ``roles.can_act_as`` reads it for one person and
one proposal, ``ApplicationRequest.objects.waiting_for`` (the inbox) reads it in SQL over
proposals, ``roles.role_holders`` (reminders) in SQL over people, ``roles.holders_condition``
(the statement that writes a transition's notifications) as written-out SQL over people, and
the transition's lock reads whether the actor holds the role (``HOLDS_ROLE_COLUMNS``). For
random people (roles, units, acting periods that have begun, ended or not yet begun) and
proposals in every state, the answers are the same.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from requests_intake.models import ApplicationRequest
from tests.properties import property_settings
from workflow.models import ActingAssignment, ActingKind, User
from workflow.roles import (
    can_act_as,
    forget_roles,
    has_role,
    holders_condition,
    remember_holding,
    role_holders,
)
from workflow.services.core import _lock
from workflow.states import ACTOR_OF_STATE, Role, State

# One proposal in each state where someone must act; built once, through the services.
WAITING_STATES = list(ACTOR_OF_STATE)

person = st.fixed_dictionaries(
    {
        "groups": st.sets(st.sampled_from(list(Role.values))),
        "unit": st.sampled_from(["dinkes", "disdik", None]),
        # (role, first day, last day) relative to today: past, current and future periods.
        "acting": st.lists(
            st.tuples(
                st.sampled_from([Role.KASI, Role.KABID, Role.KADIS]),
                st.integers(-10, 3),
                st.integers(0, 10),
            ),
            max_size=2,
        ),
        "active": st.booleans(),
    }
)


@pytest.fixture
def proposals(make_request):
    return {state: make_request(state) for state in WAITING_STATES}


def _make_person(n: int, spec: dict, units: dict, absent: User) -> User:
    user = User.objects.create_user(
        username=f"orang{n}",
        unit=units[spec["unit"]] if spec["unit"] else None,
        is_active=spec["active"],
    )
    user.groups.set(Group.objects.filter(name__in=spec["groups"]))
    today = timezone.localdate()
    for role, start, length in spec["acting"]:
        ActingAssignment.objects.create(
            user=user,
            role=role,
            kind=ActingKind.PLH,
            absent_official=absent,
            start_date=today + datetime.timedelta(days=start),
            end_date=today + datetime.timedelta(days=start + length),
            decree_number=f"800/{n}",
        )
    return user


@property_settings(max_examples=40)
@given(
    people=st.lists(person, min_size=1, max_size=4),
    picks=st.lists(st.sampled_from(WAITING_STATES), min_size=1, max_size=4),
    assignment=st.sampled_from(["sop", "none", "first_person"]),
)
def test_python_and_sql_answers_agree(people, picks, assignment, proposals, units, users):
    with transaction.atomic():  # each example leaves the database as it found it
        made = [_make_person(n, spec, units, users["kadis"]) for n, spec in enumerate(people)]
        for state in picks:
            req = proposals[state]
            # Who builds it: as the SOP left it, no one yet (proposals from before the
            # assignment was recorded), or one of the random people.
            assigned = {
                "sop": req.assigned_prakom_id,
                "none": None,
                "first_person": made[0].pk,
            }[assignment]
            ApplicationRequest.objects.filter(pk=req.pk).update(assigned_prakom_id=assigned)
            req = ApplicationRequest.objects.get(pk=req.pk)
            role = ACTOR_OF_STATE[req.state]
            holders = set(role_holders(role, req).values_list("pk", flat=True))
            condition, params = holders_condition(role, req)
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT u."id" FROM "workflow_user" u WHERE {condition}', params)
                written_out = {row[0] for row in cursor.fetchall()}
            assert written_out == holders, (state, people)
            for user in made:
                forget_roles(user)
                python = can_act_as(user, role, req)
                inbox = ApplicationRequest.objects.waiting_for(user).filter(pk=req.pk).exists()
                assert python == inbox, (state, people)
                assert python == (user.pk in holders), (state, people)
                forget_roles(user)
                locked = _lock(req.pk, holder=(user, role))
                holds = remember_holding(
                    user, role, own=locked.holds_own_role, acting_id=locked.holds_acting_id
                )
                forget_roles(user)
                assert holds == has_role(user, role), (state, people)
        transaction.set_rollback(True)


def test_a_draft_waits_only_for_its_own_unit(proposals, users):
    draft = proposals[State.DRAFT]
    assert ApplicationRequest.objects.waiting_for(users["pemohon"]).filter(pk=draft.pk).exists()
    assert not ApplicationRequest.objects.waiting_for(users["pemohon2"]).filter(pk=draft.pk)
    assert set(role_holders(Role.PEMOHON, draft)) == {users["pemohon"]}
