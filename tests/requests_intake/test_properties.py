"""Property-based tests (hypothesis): whatever a browser — or anyone with curl — posts to
the intake form or to any action form, the answer is never a 500 and the database never
holds half of an action: either everything the action writes is there, or nothing is.

Each example runs inside a savepoint that is rolled back, so the proposals built once per
test stay as they were for the next example.
"""

import datetime

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from requests_intake.models import ApplicationRequest, Attachment
from requests_intake.services import attachment_upload
from tests.properties import property_settings
from workflow import audit, demo
from workflow.models import StepVisit, TransitionLog
from workflow.states import ACTOR_OF_STATE, State
from workflow.transitions import TRANSITIONS

FAST = property_settings(25)

# Text as people paste it: accents, other scripts, emoji, control characters and NUL.
NASTY = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\x00\r\n\t;|<>'\""),
    max_size=60,
)
LONG = st.integers(min_value=150, max_value=9000).map(lambda n: ("ab " * n)[:n])
ANY_TEXT = NASTY | LONG | st.just("") | st.just("   ")
DATES = (
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        datetime.date.isoformat
    )
    | st.sampled_from(["2026-02-30", "0000-00-00", "31/12/2025", "kemarin", "2026-13-01"])
    | NASTY
)
NUMBERS = st.integers(min_value=-(10**20), max_value=10**20).map(str) | st.sampled_from(
    ["", "1e9", "3.5", "0x10", "١٢"]
)


COUNTED = [m for m in apps.get_models() if m._meta.label != "sessions.Session"]


def table_counts() -> dict[str, int]:
    """Rows in every table, in one query."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in COUNTED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # noqa: S608 (table names from the models)
        counts = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(COUNTED, counts, strict=True)}


def in_rollback(check):
    """Run ``check`` inside a savepoint that is always rolled back."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


# --- the intake form --------------------------------------------------------------------


def _post_value(value):
    """How a browser sends a value: dates ISO, people one per line, a user by its id."""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "\n".join("; ".join(person.values()) for person in value)
    if isinstance(value, list):
        return [str(v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    return None if value is None else str(value)


def _payloads(good: dict, hostile: dict):
    """Valid data, valid data with one hostile field, or anything at all (fields missing
    too): most random data fails early, so the first two reach the deeper paths."""
    one_bad = st.sampled_from(sorted(hostile)).flatmap(
        lambda name: hostile[name].map(lambda value: good | {name: value})
    )
    anything = st.fixed_dictionaries(
        {name: st.just(good.get(name)) | strategy | st.none() for name, strategy in hostile.items()}
    )
    return st.just(good) | one_bad | anything


def _proposal_payloads():
    good = {name: _post_value(v) for name, v in demo.proposal_data().items()}
    hostile = {}
    for name, value in demo.proposal_data().items():
        if isinstance(value, bool):
            hostile[name] = st.sampled_from(["on", "", "false", "0", "ya"])
        elif isinstance(value, datetime.date):
            hostile[name] = DATES
        elif isinstance(value, int):
            hostile[name] = NUMBERS
        else:
            hostile[name] = ANY_TEXT
    return _payloads(good, hostile)


LETTERS = st.sampled_from(
    [
        None,
        ("surat.pdf", demo.sample_pdf("Surat")),
        ("surat.pdf", b"<html><script>alert(1)</script></html>"),
        ("surat.docx", demo.sample_docx()),
        ("kosong.pdf", b""),
        ("../../etc/passwd", b"%PDF-1.4 but not really"),
    ]
)


@pytest.mark.django_db
@settings(FAST, max_examples=50)
@given(values=_proposal_payloads(), letter=LETTERS)
def test_the_intake_form_never_fails_and_never_half_saves(clients, users, values, letter):
    client, pemohon = clients["pemohon"], users["pemohon"]
    data = {name: value for name, value in values.items() if value is not None}
    if letter is not None:
        data["letter_file"] = SimpleUploadedFile(*letter)

    def check():
        before = table_counts()
        response = client.post(reverse("requests_intake:create"), data)
        after = table_counts()
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert after == before, "a refused form left rows behind"
            return
        req = ApplicationRequest.objects.order_by("-pk").first()
        assert response["Location"] == req.get_absolute_url()
        assert req.state == State.DRAFT and req.unit_id == pemohon.unit_id
        req.full_clean(exclude=["state"])
        letters = Attachment.objects.filter(request=req).count()
        changed = {k: after[k] - before[k] for k in after if after[k] != before[k]}
        expected = {"requests_intake.ApplicationRequest": 1}
        if letters:
            expected["requests_intake.Attachment"] = 1
        assert changed == expected
        assert not StepVisit.objects.filter(request=req).exists()  # drafts are not timed

    in_rollback(check)


# --- every action form --------------------------------------------------------------------


def _action_payloads(action, req, actors):
    """POST data for one action form: what the form would send, or hostile variants."""
    form = TRANSITIONS[action].form(req=req, prefix=action)
    kwargs = demo.default_kwargs(action, actors) | {"revision": req.revision}
    good, hostile = {}, {}
    for name, field in form.fields.items():
        key = f"{action}-{name}"
        value = _post_value(kwargs.get(name))
        if value is not None:
            good[key] = value
        if name == "revision":
            hostile[key] = st.sampled_from([req.revision - 1, req.revision + 1]).map(str) | NUMBERS
        elif isinstance(field, forms.ModelChoiceField):
            hostile[key] = st.sampled_from([str(actors["kasi"].pk), "0", "999999"]) | NASTY
        elif isinstance(field, forms.MultipleChoiceField):
            codes = [code for code, _label in field.choices]
            hostile[key] = st.lists(st.sampled_from(codes) | NASTY, max_size=4)
        elif isinstance(field, forms.ChoiceField):
            hostile[key] = NASTY
        elif isinstance(field, forms.DateField):
            hostile[key] = DATES
        elif isinstance(field, forms.URLField):
            hostile[key] = st.sampled_from(["javascript:alert(1)", "http://[::1"]) | NASTY
        elif name in ("attendees", "participants"):
            line = st.lists(NASTY.filter(lambda s: "\n" not in s), min_size=1, max_size=4)
            hostile[key] = st.lists(line.map("; ".join), max_size=5).map("\n".join) | ANY_TEXT
        else:
            hostile[key] = ANY_TEXT
    return _payloads(good, hostile)


SOURCE_STATE = {
    "submit": State.DRAFT,
    "receive": State.RECEIVE,
    "forward_to_kabid": State.KASI_FORWARD,
    "forward_to_kadis": State.KABID_FORWARD,
    "decide_needed": State.DECISION,
    "decide_not_needed": State.DECISION,
    "finish_design": State.DESIGN,
    "record_presentation": State.PRESENTATION,
    "accept_review": State.REVIEW,
    "request_another_round": State.REVIEW,
    "submit_report": State.REPORT,
    "kasi_accept": State.KASI_CHECK,
    "kasi_return": State.KASI_CHECK,
    "kabid_accept": State.KABID_CHECK,
    "kabid_return": State.KABID_CHECK,
    "kadis_accept": State.KADIS_CHECK,
    "kadis_return": State.KADIS_CHECK,
    "finish_socialisation": State.SOCIALISATION,
    "kasi_return_to_unit": State.RECEIVE,
    "kabid_return_to_kasi": State.KABID_FORWARD,
    "kabid_return_to_unit": State.KABID_FORWARD,
    "resubmit": State.UNIT_COMPLETION,
    "request_agreement": State.REVIEW,
    "unit_agree": State.UNIT_AGREEMENT,
    "unit_request_changes": State.UNIT_AGREEMENT,
    "decide_use_existing": State.DECISION,
}


def test_every_action_is_covered():
    assert set(SOURCE_STATE) == set(TRANSITIONS)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(SOURCE_STATE))
def test_no_action_form_fails_or_half_saves(action, make_request, actors, clients):
    req = make_request(SOURCE_STATE[action])
    actor = actors[ACTOR_OF_STATE[req.state]]
    for kind in TRANSITIONS[action].required_kinds if req.state != State.DRAFT else ():
        attachment_upload(
            actor=actor, request_id=req.pk, kind=kind, upload=demo.sample_upload(kind)
        )
    for name, kind in demo.MEETING_OF.items():
        if name == action:  # recorded only once scheduled
            demo.schedule_if_needed(req, kind, actors["prakom"], actors)
    client = clients[ACTOR_OF_STATE[req.state]]
    url = reverse("workflow:act", args=[req.pk, action])
    strategy = _action_payloads(action, req, actors)
    outcomes = {"taken": 0, "refused": 0}

    @FAST
    @given(values=strategy)
    def post_anything(values):
        payload = {k: v for k, v in values.items() if v is not None}

        def check():
            before = table_counts()
            response = client.post(url, payload)
            after = table_counts()
            assert response.status_code in (200, 302)
            now = ApplicationRequest.objects.get(pk=req.pk)
            if now.state == req.state:
                outcomes["refused"] += 1
                assert now.revision == req.revision
                assert after == before, "a refused action left rows behind"
                return
            outcomes["taken"] += 1
            assert response.status_code == 302
            assert now.revision == req.revision + 1
            log = TransitionLog.objects.filter(request=req).order_by("-seq").first()
            assert log.transition == action and log.to_state == now.state
            assert after["workflow.TransitionLog"] == before["workflow.TransitionLog"] + 1
            assert audit.verify([req.pk]).problems == []

        in_rollback(check)

    post_anything()
    assert outcomes["refused"] > 0
