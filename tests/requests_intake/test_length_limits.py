"""Every free-text field has a maximum: enforced by the server, shown in the form.

A 1 MB *latar belakang* once made a 353-page tanda terima that held up every other unit's
documents for a minute. Each box now says how much it takes, the browser stops typing
there (``maxlength``), and the server refuses more with a clear Indonesian message.
"""

import re

import pytest
from django import forms
from django.urls import reverse

from requests_intake.forms import FREE_TEXT_LIMITS, ProposalForm
from requests_intake.models import ApplicationRequest
from tests.requests_intake.test_intake_views import form_data, letter
from workflow import demo
from workflow.forms import CommentEditForm, CommentForm, ReassignForm
from workflow.states import State
from workflow.transitions import TRANSITIONS


def every_form():
    yield "usulan", ProposalForm()
    for name, spec in TRANSITIONS.items():
        yield name, spec.form(prefix=name)
    yield "komentar", CommentForm()
    yield "ubah komentar", CommentEditForm()
    yield "pelaksana", ReassignForm()


def too_long(limit: int) -> str:
    return "Pendataan layanan. " * (limit // 19) + "x" * (limit % 19 + 1)


@pytest.mark.django_db
def test_every_free_text_field_has_a_maximum_shown_in_the_form():
    checked = 0
    for form_name, form in every_form():
        for name, field in form.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.HiddenInput
            ):
                continue
            label = f"{form_name}.{name}"
            assert field.max_length, f"{label} takes text of any length"
            html = str(form[name])
            assert f'maxlength="{field.max_length}"' in html, label
            if isinstance(field.widget, forms.Textarea):
                shown = f"{field.max_length:,}".replace(",", ".")
                assert f"Paling banyak {shown} karakter." in str(field.help_text), label
                checked += 1
    assert checked >= 20  # the intake form's seven and every action's boxes


def test_the_tanda_terima_cannot_grow_without_bound():
    # Everything the intake form lets through, at its maximum, stays a few pages of text.
    assert sum(FREE_TEXT_LIMITS.values()) <= 20_000


class TestIntakeForm:
    def test_an_over_long_latar_belakang_is_refused_with_a_clear_message(self, clients):
        data = form_data(background=too_long(4000))
        response = clients["pemohon"].post(
            reverse("requests_intake:create"), {**data, "letter_file": letter()}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "paling banyak 4000 karakter (sekarang 4001 karakter)" in page
        assert 'maxlength="4000"' in page and "Paling banyak 4.000 karakter." in page
        assert not ApplicationRequest.objects.exists()

    @pytest.mark.parametrize(("name", "limit"), sorted(FREE_TEXT_LIMITS.items()))
    def test_each_answer_is_accepted_up_to_its_maximum_and_not_beyond(self, name, limit, users):
        accepted = ProposalForm(data=form_data(**{name: too_long(limit)[:limit]}))
        assert accepted.is_valid(), accepted.errors
        refused = ProposalForm(data=form_data(**{name: too_long(limit)}))
        assert not refused.is_valid()
        assert re.search(r"paling banyak \d+ karakter", " ".join(refused.errors[name]))


class TestActionForms:
    def test_an_over_long_study_note_is_refused_and_nothing_moves(self, clients, make_request):
        req = make_request(State.RECEIVE)
        url = reverse("workflow:act", args=[req.pk, "receive"])
        data = {
            "receive-revision": req.revision,
            "receive-agenda_number": "AG-9",
            "receive-received_date": req.letter_date.isoformat(),
            "receive-sifat": "biasa",
            "receive-study_notes": too_long(4000),
        }
        response = clients["kasi"].post(url, data)
        assert response.status_code == 200
        assert "paling banyak 4000 karakter (sekarang 4001 karakter)" in response.content.decode()
        req.refresh_from_db()
        assert req.state == State.RECEIVE

    def test_an_over_long_attendance_list_is_refused(self, clients, make_request, actors):
        req = make_request(State.PRESENTATION)
        lines = "\n".join(f"Peserta {n}; Dinas Kesehatan; Staf" for n in range(200))
        response = clients["prakom"].post(
            reverse("workflow:act", args=[req.pk, "record_presentation"]),
            {
                "record_presentation-revision": req.revision,
                "record_presentation-held_on": req.letter_date.isoformat(),
                "record_presentation-place": "Ruang Rapat",
                "record_presentation-attendees": lines,
                "record_presentation-points_raised": "Tambah ekspor.",
            },
        )
        assert response.status_code == 200
        assert f"paling banyak 5000 karakter (sekarang {len(lines)} karakter)" in (
            response.content.decode()
        )
        req.refresh_from_db()
        assert req.state == State.PRESENTATION

    def test_a_comment_over_its_maximum_is_refused(self, clients, make_request):
        req = make_request(State.RECEIVE)
        response = clients["kasi"].post(
            reverse("workflow:comment_add", args=[req.pk]), {"body": too_long(5000)}
        )
        assert response.status_code == 200
        assert "paling banyak 5000 karakter" in response.content.decode()
        assert not req.comments.exists()


def test_demo_data_stays_within_the_limits():
    for name, limit in FREE_TEXT_LIMITS.items():
        assert len(str(demo.proposal_data()[name])) <= limit, name
