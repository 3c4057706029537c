"""Acting officials (Plt./Plh.) and reassigning the Prakom."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.conftest import make_user
from workflow import demo
from workflow.errors import ActionForbidden
from workflow.models import ActingAssignment, Notification, PrakomAssignment, TransitionLog
from workflow.services import take_decide_needed
from workflow.states import State

TODAY = timezone.localdate()


@pytest.fixture
def plt_kadis(users):
    """The Kabid stands in for the Kepala Dinas today and tomorrow (Plt.)."""
    return ActingAssignment.objects.create(
        user=users["kabid"],
        role="kadis",
        kind="plt",
        absent_official=users["kadis"],
        decree_number="800/12/DISKOMINFO/2026",
        start_date=TODAY,
        end_date=TODAY + datetime.timedelta(days=1),
    )


def test_acting_official_acts_inside_the_period_and_is_logged_as_acting(
    users, actors, make_request, plt_kadis
):
    req = make_request(State.DECISION)
    req = take_decide_needed(
        actor=users["kabid"],
        proposal_id=req.pk,
        revision=req.revision,
        reason="Disetujui Plt.",
        prakom=users["prakom"],
    )
    assert req.state == State.DESIGN
    log = TransitionLog.objects.get(request=req, transition="decide_needed")
    assert log.actor == users["kabid"] and log.role == "kadis" and log.acting == plt_kadis


def test_outside_the_period_the_acting_role_is_gone(users, make_request, plt_kadis):
    req = make_request(State.DECISION)
    later = datetime.datetime.combine(
        TODAY + datetime.timedelta(days=3),
        datetime.time(10),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(later, tick=False), pytest.raises(ActionForbidden):
        take_decide_needed(
            actor=users["kabid"],
            proposal_id=req.pk,
            revision=req.revision,
            reason="x",
            prakom=users["prakom"],
        )
    before = datetime.datetime.combine(
        TODAY - datetime.timedelta(days=1),
        datetime.time(10),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(before, tick=False), pytest.raises(ActionForbidden):
        take_decide_needed(
            actor=users["kabid"],
            proposal_id=req.pk,
            revision=req.revision,
            reason="x",
            prakom=users["prakom"],
        )
    req.refresh_from_db()
    assert req.state == State.DECISION


def test_the_page_and_timeline_name_the_acting_official(clients, make_request, plt_kadis):
    req = make_request(State.DECISION)
    kabid = clients["kabid"]
    inbox = kabid.get(reverse("workflow:inbox")).content.decode()
    assert req.registration_number in inbox and "Plt. Kepala Dinas" in inbox
    page = kabid.get(req.get_absolute_url()).content.decode()
    assert reverse("workflow:act", args=[req.pk, "decide_needed"]) in page
    kabid.post(
        reverse("workflow:act", args=[req.pk, "decide_not_needed"]),
        {
            "decide_not_needed-revision": req.revision,
            "decide_not_needed-reason": "Tidak prioritas.",
        },
    )
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    assert "Plt. Kepala Dinas" in page


def test_notifications_for_the_role_reach_the_acting_official_too(
    users, actors, make_request, plt_kadis, django_capture_on_commit_callbacks
):
    req = make_request(State.KABID_FORWARD)
    # the Kabid forwards to the Kadis — whose stand-in is the Kabid himself, so only the
    # Kadis hears of it; a second acting official (the Kasi, Plh.) hears of it as well
    ActingAssignment.objects.create(
        user=users["kasi"],
        role="kadis",
        kind="plh",
        decree_number="800/13",
        start_date=TODAY,
        end_date=TODAY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.take(req, "forward_to_kadis", actors)
    notified = set(
        Notification.objects.filter(log__transition="forward_to_kadis").values_list(
            "recipient__username", flat=True
        )
    )
    assert notified == {"kadis", "kasi"}
    assert {m.to[0] for m in mail.outbox} == {"kadis@example.go.id", "kasi@example.go.id"}


def test_admin_validation_of_periods(users):
    from django.core.exceptions import ValidationError

    assignment = ActingAssignment(
        user=users["kabid"],
        role="kadis",
        kind="plh",
        absent_official=users["kabid"],
        decree_number="1",
        start_date=TODAY,
        end_date=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert {"end_date", "absent_official"} <= set(error.value.message_dict)


class TestReassignPrakom:
    def url(self, req):
        return reverse("workflow:reassign", args=[req.pk])

    def test_kasi_hands_the_build_to_another_prakom(self, clients, users, make_request):
        other = make_user("prakom_b", "prakom")
        req = make_request(State.PRESENTATION)
        response = clients["kasi"].post(
            self.url(req), {"revision": req.revision, "prakom": other.pk, "note": "Beban kerja"}
        )
        assert response.status_code == 302
        req.refresh_from_db()
        assert req.assigned_prakom == other
        assert list(
            PrakomAssignment.objects.filter(request=req).values_list("prakom__username", flat=True)
        ) == ["prakom", "prakom_b"]
        assert Notification.objects.filter(recipient=other, kind="assignment").exists()
        # the new Prakom may act; the old one may not
        inbox = clients["prakom"].get(reverse("workflow:inbox")).content.decode()
        assert req.registration_number not in inbox

    def test_only_the_kasi_may_reassign(self, clients, users, make_request):
        req = make_request(State.PRESENTATION)
        for role in ("prakom", "kabid", "kadis", "pemohon"):
            response = clients[role].post(
                self.url(req), {"revision": req.revision, "prakom": users["prakom"].pk}
            )
            assert response.status_code == 403, role
        assert clients["pemohon2"].post(self.url(req), {}).status_code == 404

    def test_a_stale_form_changes_nothing(self, clients, users, make_request):
        other = make_user("prakom_b", "prakom")
        req = make_request(State.PRESENTATION)
        clients["kasi"].post(self.url(req), {"revision": req.revision - 1, "prakom": other.pk})
        req.refresh_from_db()
        assert req.assigned_prakom == users["prakom"]
