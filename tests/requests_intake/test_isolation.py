"""Unit isolation: a Perangkat Daerah never reaches another unit's proposals or documents,
and Diskominfo officials never reach a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from workflow import demo
from workflow.states import State
from workflow.transitions import TRANSITIONS

STATES = [State.DRAFT, State.DESIGN, State.COMPLETED]
OFFICIALS = ["kasi", "kabid", "kadis", "prakom", "admin"]


def snapshot(req: ApplicationRequest) -> tuple:
    fresh = ApplicationRequest.objects.get(pk=req.pk)
    return (
        fresh.state,
        fresh.revision,
        fresh.app_name,
        fresh.updated_at,
        sorted(Attachment.objects.filter(request=req).values_list("kind", "version")),
    )


def proposal_form() -> dict:
    data = demo.proposal_data(app_name="Diambil alih")
    return {
        k: v.isoformat() if hasattr(v, "isoformat") else v
        for k, v in data.items()
        if v not in (None, False)
    }


def every_request(client, req: ApplicationRequest) -> list[tuple[str, int]]:
    """Hit every page and document of ``req``; return (what, status) for each."""
    results = [
        ("detail", client.get(reverse("requests_intake:detail", args=[req.pk])).status_code),
        ("edit GET", client.get(reverse("requests_intake:edit", args=[req.pk])).status_code),
        (
            "edit POST",
            client.post(
                reverse("requests_intake:edit", args=[req.pk]),
                {**proposal_form(), "revision": req.revision},
            ).status_code,
        ),
        ("delete", client.post(reverse("requests_intake:delete", args=[req.pk])).status_code),
        (
            "upload",
            client.post(
                reverse("workflow:upload", args=[req.pk]),
                {
                    "kind": AttachmentKind.DATA_STRUCTURE,
                    "file": SimpleUploadedFile("x.docx", demo.sample_docx()),
                },
            ).status_code,
        ),
    ]
    for name in TRANSITIONS:
        response = client.post(
            reverse("workflow:act", args=[req.pk, name]), {f"{name}-revision": req.revision}
        )
        results.append((f"act {name}", response.status_code))
    for attachment in Attachment.objects.filter(request=req):
        response = client.get(attachment.get_absolute_url())
        results.append(
            (f"attachment {attachment.kind} v{attachment.version}", response.status_code)
        )
    return results


class TestOtherUnit:
    @pytest.mark.parametrize("state", STATES)
    def test_every_page_and_document_is_404(self, clients, make_request, state):
        req = make_request(state)
        before = snapshot(req)
        results = every_request(clients["pemohon2"], req)
        assert len(results) == 5 + len(TRANSITIONS) + req.attachments.count()
        assert [what for what, status in results if status != 404] == []
        assert snapshot(req) == before

    @pytest.mark.parametrize("state", STATES)
    def test_owner_reaches_the_same_pages(self, clients, make_request, state):
        # The counterpart of the test above: the 404s come from isolation, not broken URLs.
        req = make_request(state)
        pemohon = clients["pemohon"]
        assert pemohon.get(req.get_absolute_url()).status_code == 200
        attachments = list(Attachment.objects.filter(request=req))
        assert attachments
        for attachment in attachments:
            assert pemohon.get(attachment.get_absolute_url()).status_code == 200

    def test_own_proposal_url_does_not_open_a_foreign_attachment(self, clients, users, actors):
        foreign = demo.create_draft(actors).attachments.get(kind=AttachmentKind.REQUEST_LETTER)
        own = demo.create_draft({**actors, "pemohon": users["pemohon2"]})
        url = reverse("requests_intake:attachment", args=[own.pk, foreign.pk])
        assert clients["pemohon2"].get(url).status_code == 404
        assert (
            clients["pemohon2"]
            .get(own.attachments.get(kind=AttachmentKind.REQUEST_LETTER).get_absolute_url())
            .status_code
            == 200
        )

    def test_other_unit_cannot_submit_a_draft(self, clients, draft):
        response = clients["pemohon2"].post(
            reverse("workflow:act", args=[draft.pk, "submit"]),
            {"submit-revision": draft.revision},
        )
        assert response.status_code == 404
        draft.refresh_from_db()
        assert draft.state == State.DRAFT


class TestOfficialsAndDrafts:
    @pytest.mark.parametrize("role", OFFICIALS)
    def test_every_page_and_document_of_a_draft_is_404(self, clients, draft, role):
        before = snapshot(draft)
        results = every_request(clients[role], draft)
        assert [what for what, status in results if status != 404] == []
        assert snapshot(draft) == before

    @pytest.mark.parametrize("role", OFFICIALS)
    def test_a_submitted_proposal_is_visible(self, clients, make_request, role):
        req = make_request(State.RECEIVE)
        assert clients[role].get(req.get_absolute_url()).status_code == 200
        letter = req.attachments.get(kind=AttachmentKind.REQUEST_LETTER)
        assert clients[role].get(letter.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("role", OFFICIALS)
    def test_drafts_are_not_listed(self, clients, make_request, role):
        make_request(State.DRAFT, app_name="Draf Rahasia Dinkes")
        make_request(State.RECEIVE, app_name="Usulan Terbuka")
        url = reverse("requests_intake:list")
        for params in ({}, {"q": "Rahasia"}, {"state": "draft"}):
            html = clients[role].get(url, params).content.decode()
            assert "Draf Rahasia Dinkes" not in html, params
        assert "Usulan Terbuka" in clients[role].get(url).content.decode()

    def test_drafts_are_not_in_the_kasi_inbox(self, clients, make_request):
        make_request(State.DRAFT, app_name="Draf Rahasia Dinkes")
        make_request(State.RECEIVE, app_name="Usulan Terbuka")
        html = clients["kasi"].get(reverse("workflow:inbox")).content.decode()
        assert "Usulan Terbuka" in html
        assert "Draf Rahasia Dinkes" not in html


@pytest.fixture
def two_units(users, actors, make_request):
    """Proposals of Dinkes (``pemohon``) in several states and one of Disdik (``pemohon2``)."""
    dinkes = [
        make_request(State.DRAFT, app_name="Dinkes Draf Gizi", letter_number="DK/1"),
        make_request(State.RECEIVE, app_name="Dinkes Antrian Puskesmas", letter_number="DK/2"),
        make_request(State.DESIGN, app_name="Dinkes Rekam Medis", letter_number="DK/3"),
        make_request(State.REJECTED, app_name="Dinkes Ditolak", letter_number="DK/4"),
    ]
    disdik_actors = {**actors, "pemohon": users["pemohon2"]}
    disdik = demo.walk(
        demo.create_draft(disdik_actors, app_name="Disdik Sistem Sekolah", letter_number="DD/1"),
        disdik_actors,
        demo.path_to(State.RECEIVE),
    )
    return dinkes, disdik


class TestListIsolation:
    @pytest.mark.parametrize(
        "params",
        [
            {},
            {"q": "Dinkes"},
            {"q": "Dinas Kesehatan"},
            {"q": "DINKES"},
            {"q": "Gizi"},
            {"q": "DK/"},
            {"q": "Sistem"},
            {"state": "draft"},
            {"state": "running"},
            {"state": State.RECEIVE},
            {"state": State.DESIGN},
            {"state": State.REJECTED},
            {"year": str(timezone.localdate().year)},
            {"q": "skpd"},
        ],
        ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none",
    )
    def test_pemohon2_never_sees_dinkes_proposals(self, clients, two_units, params):
        dinkes, disdik = two_units
        response = clients["pemohon2"].get(reverse("requests_intake:list"), params)
        assert response.status_code == 200
        listed = {r.pk for r in response.context["page"].object_list}
        assert listed <= {disdik.pk}
        html = response.content.decode()
        for req in dinkes:
            assert req.app_name not in html
            if req.registration_number:
                assert req.registration_number not in html

    def test_filtering_by_the_other_unit_shows_nothing(self, clients, two_units, units):
        response = clients["pemohon2"].get(
            reverse("requests_intake:list"), {"unit": units["dinkes"].pk}
        )
        assert list(response.context["page"].object_list) == []

    def test_searching_the_other_units_registration_number_finds_nothing(self, clients, two_units):
        dinkes, _disdik = two_units
        for req in dinkes:
            if req.registration_number:
                response = clients["pemohon2"].get(
                    reverse("requests_intake:list"), {"q": req.registration_number}
                )
                assert list(response.context["page"].object_list) == []

    def test_pemohon2_sees_its_own(self, clients, two_units):
        _dinkes, disdik = two_units
        response = clients["pemohon2"].get(reverse("requests_intake:list"), {"q": "Sekolah"})
        assert [r.pk for r in response.context["page"].object_list] == [disdik.pk]

    def test_pemohon_sees_all_of_its_own_and_none_of_disdik(self, clients, two_units):
        dinkes, disdik = two_units
        response = clients["pemohon"].get(reverse("requests_intake:list"))
        listed = {r.pk for r in response.context["page"].object_list}
        assert listed == {r.pk for r in dinkes}
        assert disdik.app_name not in response.content.decode()

    def test_inbox_of_pemohon2_holds_nothing_of_dinkes(self, clients, two_units, users):
        dinkes, _disdik = two_units
        own_draft = demo.create_draft({"pemohon": users["pemohon2"]}, app_name="Disdik Draf")
        response = clients["pemohon2"].get(reverse("workflow:inbox"))
        assert [r.pk for r in response.context["page"].object_list] == [own_draft.pk]
        html = response.content.decode()
        for req in dinkes:
            assert req.app_name not in html
