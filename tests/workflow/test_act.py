"""Taking an SOP transition on the proposal page (``workflow:act``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import ApplicationRequest, AttachmentKind
from workflow import demo
from workflow.models import PresentationRound, Receipt, ReviewRound, TransitionLog
from workflow.states import State

TODAY = timezone.localdate()


def act(client, req, name: str, fields: dict | None = None, *, follow: bool = False):
    req.refresh_from_db()
    data = {f"{name}-revision": req.revision}
    for key, value in (fields or {}).items():
        data[f"{name}-{key}"] = value
    return client.post(reverse("workflow:act", args=[req.pk, name]), data, follow=follow)


def upload(client, req, kind: str):
    response = client.post(
        reverse("workflow:upload", args=[req.pk]),
        {"kind": kind, "file": demo.sample_upload(kind), "note": ""},
    )
    assert response.status_code == 302, response.content[:2000]


def state_of(req) -> str:
    return ApplicationRequest.objects.get(pk=req.pk).state


def test_second_click_on_the_same_action_changes_nothing(clients, make_request):
    req = make_request(State.RECEIVE)
    fields = {"agenda_number": "1", "received_date": TODAY, "sifat": "biasa"}
    stale_revision = req.revision
    assert act(clients["kasi"], req, "receive", fields).status_code == 302
    data = {f"receive-{k}": v for k, v in fields.items()} | {"receive-revision": stale_revision}
    response = clients["kasi"].post(
        reverse("workflow:act", args=[req.pk, "receive"]), data, follow=True
    )
    # The person's own first click succeeded: they are told so, not "processed by others".
    html = response.content.decode()
    assert "sudah diproses" not in html and "dicatat dalam buku agenda" in html
    assert TransitionLog.objects.filter(request=req, transition="receive").count() == 1
    assert Receipt.objects.filter(request=req).count() == 1


def test_a_stale_page_cannot_repeat_a_looping_step(clients, make_request):
    """Step 6 comes back after another round; an old form from round 1 must not count."""
    req = make_request(State.REVIEW)
    old_revision = req.revision - 1  # the page that recorded round 1
    act(
        clients["prakom"],
        req,
        "request_another_round",
        {"requested_changes": "x", "changes_made": "y"},
    )
    assert state_of(req) == State.PRESENTATION
    data = {
        "record_presentation-revision": old_revision,
        "record_presentation-held_on": TODAY,
        "record_presentation-place": "R",
        "record_presentation-attendees": "A",
        "record_presentation-points_raised": "p",
    }
    clients["prakom"].post(reverse("workflow:act", args=[req.pk, "record_presentation"]), data)
    assert state_of(req) == State.PRESENTATION
    assert PresentationRound.objects.filter(request=req).count() == 1


@pytest.mark.parametrize("name", ["receive", "decide_needed", "kasi_accept"])
def test_wrong_role_gets_403_and_wrong_method_405(clients, make_request, name):
    req = make_request(State.RECEIVE)
    url = reverse("workflow:act", args=[req.pk, name])
    assert clients["prakom"].post(url, {f"{name}-revision": req.revision}).status_code == 403
    assert clients["kasi"].get(url).status_code == 405
    assert state_of(req) == State.RECEIVE


def test_anonymous_is_sent_to_login(anon, make_request):
    req = make_request(State.RECEIVE)
    for url in (
        reverse("workflow:inbox"),
        req.get_absolute_url(),
        reverse("workflow:act", args=[req.pk, "receive"]),
    ):
        method = anon.post if "aksi" in url else anon.get
        response = method(url)
        assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_action_form_errors_keep_the_input(clients, make_request):
    req = make_request(State.PRESENTATION)
    demo_kind = AttachmentKind.PRESENTATION_MATERIAL
    upload(clients["prakom"], req, demo_kind)
    response = act(
        clients["prakom"],
        req,
        "record_presentation",
        {
            "held_on": TODAY + datetime.timedelta(days=3),
            "place": "Ruang Kenanga",
            "attendees": "Budi; Dinkes; Staf",
            "points_raised": "Catatan penting",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal tidak boleh di masa depan." in page
    assert "Ruang Kenanga" in page and "Catatan penting" in page
    assert state_of(req) == State.PRESENTATION


def test_a_nul_character_in_the_attendance_is_refused(clients, make_request):
    req = make_request(State.PRESENTATION)
    upload(clients["prakom"], req, AttachmentKind.PRESENTATION_MATERIAL)
    response = act(
        clients["prakom"],
        req,
        "record_presentation",
        {"held_on": TODAY, "place": "Ruang", "attendees": "Budi\x00; Dinkes", "points_raised": "p"},
    )
    assert response.status_code == 200
    assert "NUL" in response.content.decode()
    assert state_of(req) == State.PRESENTATION


def test_accepting_the_review_needs_no_requested_changes(clients, make_request):
    req = make_request(State.REVIEW)
    response = act(clients["prakom"], req, "accept_review", follow=True)
    assert response.status_code == 200
    assert state_of(req) == State.REPORT
    review = ReviewRound.objects.get(request=req)
    assert review.requested_changes == "" and review.changes_made == ""
    assert "Permintaan:</span> —" in response.content.decode()


def test_another_round_still_asks_what_the_users_want_changed(clients, make_request):
    req = make_request(State.REVIEW)
    response = act(clients["prakom"], req, "request_another_round")
    assert response.status_code == 200
    (action,) = [a for a in response.context["actions"] if a["open"]]
    form = action["form"]
    assert form.prefix == "request_another_round"
    assert set(form.errors) == {"requested_changes", "changes_made"}
    assert state_of(req) == State.REVIEW
