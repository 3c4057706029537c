"""The shared layout: icons that need no emoji font, titles that say what the page is."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError

from workflow.states import State

pytestmark = pytest.mark.django_db

# Pictographs that need an emoji font (bell, clock, paperclip, warning sign).
EMOJI = re.compile("[\U0001f300-\U0001faff\u23f0\u26a0]")


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


def test_the_bell_is_an_inline_svg_hidden_from_screen_readers(clients):
    html = clients["kasi"].get("/kotak-masuk/").content.decode()
    bell = re.search(r'<svg aria-hidden="true" focusable="false"[^>]*bi-bell[^>]*>', html)
    assert bell and 'fill="currentColor"' in bell.group(0)
    assert "style=" not in bell.group(0)  # nothing the Content-Security-Policy would block
    assert not EMOJI.search(html)


def test_an_overdue_badge_carries_an_svg_warning_sign_not_an_emoji(clients, make_request):
    req = make_request(State.RECEIVE)
    html = Template('{% load icons %}{% icon "exclamation-triangle-fill" %}').render(Context())
    assert html.startswith('<svg aria-hidden="true" focusable="false"')
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert not EMOJI.search(page)


def test_an_unknown_icon_is_a_template_error():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load icons %}{% icon "no-such-icon" %}').render(Context())


def test_a_proposal_page_is_titled_by_number_and_application_name(clients, make_request):
    req = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    response = clients["kasi"].get(req.get_absolute_url())
    assert title(response) == (
        f"{req.display_number} — Sistem Informasi Kepegawaian Daerah · SOP Aplikasi"
    )


def test_an_action_form_returned_with_errors_says_so_in_the_title(clients, make_request):
    req = make_request(State.RECEIVE, app_name="Sistem Informasi Kepegawaian Daerah")
    response = clients["kasi"].post(
        f"/usulan/{req.pk}/aksi/receive/", {"receive-revision": req.revision}
    )
    assert response.status_code in (200, 400)
    assert title(response).startswith(f"Kesalahan: {req.display_number} — ")


def test_an_intake_form_with_errors_says_so_in_the_title(clients):
    response = clients["pemohon"].post("/usulan/baru/", {})
    assert title(response) == "Kesalahan: Usulan baru · SOP Aplikasi"
    assert title(clients["pemohon"].get("/usulan/baru/")) == "Usulan baru · SOP Aplikasi"


def test_a_rejected_proposal_explains_its_struck_through_steps_once(clients, make_request):
    req = make_request(State.REJECTED)
    html = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    legend = re.search(r"Keterangan:(.*?)</p>", html, re.S).group(1)
    assert legend.count('class="sop-key sop-step-skipped">tidak dilaksanakan</span>') == 1
    other = make_request(State.RECEIVE)
    html = clients["pemohon"].get(other.get_absolute_url()).content.decode()
    assert "sop-key sop-step-skipped" not in html
