"""Every URL × every person: anonymous, each role, and the other unit's pemohon.

The table below names every route of the URL resolver (a new route fails
``test_the_table_covers_every_route`` until its row is written) with real objects for its
parameters, and the answer each person must get: the page (200), a redirect (302), the
login page (``LOGIN``), forbidden (403), not found (404, as if the object did not exist)
or wrong method (405). Django's admin follows one rule: nobody but staff gets past its
login, and staff get exactly what their permissions allow.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from catalogue.models import Application
from catalogue.services import release_record
from reports.models import Document, DocumentStatus
from requests_intake.models import AttachmentKind
from signing.models import SignatureRequest
from workflow import comments, demo
from workflow.models import Notification
from workflow.states import State

LOGIN = "login"  # 302 to the login page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
# The requesting unit's pemohon goes last: some rows change what they act on.
PERSONAS = ("anon", "pemohon2", "kasi", "kabid", "kadis", "prakom", "admin", "pemohon")
STAFF = ("kasi", "kabid", "kadis", "prakom", "admin")  # Diskominfo: see every submitted one


def everyone(code, **others) -> dict:
    return {persona: others.get(persona, code) for persona in PERSONAS}


def signed_in(code, **others) -> dict:
    """``code`` for every signed-in person, the login page for the anonymous."""
    return everyone(code, anon=LOGIN, **others)


def own_unit(visible, **others) -> dict:
    """An object of the pemohon's unit, after submission: the other unit's pemohon gets 404."""
    return signed_in(visible, pemohon2=404, **others)


def staff(code, otherwise, **others) -> dict:
    """``code`` for Diskominfo staff, ``otherwise`` for the requesting units."""
    return signed_in(otherwise, **({p: code for p in STAFF} | others))


@dataclass
class Row:
    name: str
    kwargs: object = None  # a function of the world, giving the URL's kwargs
    expected: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{f' ({self.label})' if self.label else ''}"


def only_post(name, kwargs=None, label="") -> Row:
    """GET on a POST-only view: 405 before anything else, even for the anonymous."""
    return Row(name, kwargs, everyone(405), label=label)


own = lambda w: {"pk": w.own.pk}  # noqa: E731
draft = lambda w: {"pk": w.draft.pk}  # noqa: E731
other = lambda w: {"pk": w.other.pk}  # noqa: E731

ROWS = [
    Row("home", expected=signed_in(302)),
    Row("login", expected=everyone(302, anon=200)),
    only_post("logout"),
    Row("logout", expected=everyone(LOGIN), method="post"),
    Row("health", expected=everyone(200)),
    Row("set_language", expected=everyone(302)),
    Row("set_language", expected=everyone(302), method="post", data={"language": "id"}),
    # The proposal and its documents.
    Row("requests_intake:list", expected=signed_in(200)),
    Row("requests_intake:list_export", expected=signed_in(200)),
    Row("requests_intake:create", expected=staff(403, 200)),
    Row("requests_intake:detail", own, own_unit(200), label="own unit, submitted"),
    Row("requests_intake:detail", draft, own_unit(404, pemohon=200), label="own unit, draft"),
    Row("requests_intake:detail", other, signed_in(200, pemohon=404), label="other unit"),
    Row("requests_intake:edit", draft, own_unit(404, pemohon=200), label="draft"),
    Row("requests_intake:edit", own, own_unit(403, pemohon=302), label="submitted"),
    only_post("requests_intake:delete", draft),
    Row(
        "requests_intake:delete",
        lambda w: {"pk": w.spare_draft.pk},
        own_unit(404, pemohon=302),
        method="post",
        label="draft",
    ),
    Row(
        "requests_intake:delete",
        own,
        own_unit(403, pemohon=302),
        method="post",
        label="submitted: refused with a message",
    ),
    Row(
        "requests_intake:attachment",
        lambda w: {"pk": w.own.pk, "attachment_pk": w.letter.pk},
        own_unit(200),
    ),
    Row(
        "requests_intake:attachment",
        lambda w: {"pk": w.own.pk, "attachment_pk": w.other_letter.pk},
        signed_in(404),
        label="another proposal's document",
    ),
    # The application catalogue: staff see all of it, a unit its own entries; the
    # administrator keeps it.
    Row("catalogue:list", expected=signed_in(200)),
    Row("catalogue:export", expected=signed_in(200)),
    Row("catalogue:detail", lambda w: {"pk": w.app.pk}, own_unit(200), label="own unit"),
    Row(
        "catalogue:detail",
        lambda w: {"pk": w.other_app.pk},
        signed_in(200, pemohon=404),
        label="other unit",
    ),
    Row(
        "catalogue:release_document",
        lambda w: {"pk": w.release.pk, "which": "uat"},
        own_unit(200),
        label="a step-8 document of the own unit's proposal",
    ),
    Row(
        "catalogue:release_document",
        lambda w: {"pk": w.release.pk, "which": "security"},
        own_unit(404),
        label="none recorded",
    ),
    Row("catalogue:create", expected=signed_in(403, admin=200)),
    Row("catalogue:edit", lambda w: {"pk": w.app.pk}, own_unit(403, admin=200)),
    only_post("catalogue:retire", lambda w: {"pk": w.app.pk}),
    Row(
        "catalogue:retire",
        lambda w: {"pk": w.app.pk},
        own_unit(403, admin=400),
        method="post",
        label="no reason",
    ),
    # The workflow.
    Row("workflow:inbox", expected=signed_in(200)),
    Row("workflow:dashboard", expected=staff(200, 403, prakom=403)),
    Row("workflow:dashboard_export", expected=staff(200, 403, prakom=403)),
    only_post("workflow:act", lambda w: {"pk": w.own.pk, "action": "receive"}),
    Row(
        "workflow:act",
        lambda w: {"pk": w.own.pk, "action": "receive"},
        own_unit(403, kasi=302),
        method="post",
        label="the Kasi's step; no revision: back to the page",
    ),
    Row(
        "workflow:act",
        lambda w: {"pk": w.own.pk, "action": "tidak-ada"},
        signed_in(404),
        method="post",
        label="unknown action",
    ),
    # Meetings with the unit's users: Prakom schedules, the invited user confirms.
    only_post(
        "workflow:meeting_schedule", lambda w: {"pk": w.presented.pk, "kind": "presentation"}
    ),
    Row(
        "workflow:meeting_schedule",
        lambda w: {"pk": w.presented.pk, "kind": "presentation"},
        own_unit(403, pemohon=403, prakom=200),
        method="post",
        label="nobody invited: the form again, for Prakom",
    ),
    Row(
        "workflow:meeting_schedule",
        lambda w: {"pk": w.presented.pk, "kind": "rapat"},
        signed_in(404),
        method="post",
        label="unknown kind",
    ),
    only_post(
        "workflow:invitation_confirm",
        lambda w: {"pk": w.presented.pk, "invitation_pk": w.invitation.pk},
    ),
    Row(
        "workflow:invitation_confirm",
        lambda w: {"pk": w.presented.pk, "invitation_pk": w.invitation.pk},
        signed_in(404, pemohon=302),
        method="post",
        label="only the invited person",
    ),
    only_post("workflow:upload", own),
    Row(
        "workflow:upload",
        own,
        own_unit(403, kasi=302),
        method="post",
        label="a step without documents: back to the page",
    ),
    Row(
        "workflow:upload",
        lambda w: {"pk": w.design.pk},
        own_unit(403, prakom=200),
        method="post",
        label="the design step, no file",
    ),
    only_post("workflow:reassign", own),
    Row("workflow:reassign", own, own_unit(403, kasi=200), method="post", label="empty form"),
    only_post("workflow:comment_add", own),
    Row("workflow:comment_add", own, own_unit(200), method="post", label="empty comment"),
    only_post("workflow:comment_edit", lambda w: {"pk": w.own.pk, "comment_pk": w.comment.pk}),
    Row(
        "workflow:comment_edit",
        lambda w: {"pk": w.own.pk, "comment_pk": w.comment.pk},
        own_unit(403, kasi=302),
        method="post",
        label="only its author",
    ),
    Row(
        "workflow:comment_file",
        lambda w: {"pk": w.own.pk, "comment_pk": w.comment.pk},
        own_unit(200),
    ),
    Row(
        "workflow:comment_file",
        lambda w: {"pk": w.own.pk, "comment_pk": w.other_comment.pk},
        signed_in(404),
        label="a comment on another proposal",
    ),
    only_post(
        "workflow:comment_delete", lambda w: {"pk": w.own.pk, "comment_pk": w.spare_comment.pk}
    ),
    Row(
        "workflow:comment_delete",
        lambda w: {"pk": w.own.pk, "comment_pk": w.spare_comment.pk},
        own_unit(403, admin=302),
        method="post",
        label="administrators only",
    ),
    Row("workflow:notifications", expected=signed_in(200)),
    only_post("workflow:notification_read", lambda w: {"pk": w.notification.pk}),
    Row(
        "workflow:notification_read",
        lambda w: {"pk": w.notification.pk},
        signed_in(404, kasi=302),
        method="post",
        label="the Kasi's own notification",
    ),
    only_post("workflow:notifications_read_all"),
    Row("workflow:notifications_read_all", expected=signed_in(302), method="post"),
    Row("workflow:preferences", expected=signed_in(200)),
    Row("workflow:preferences", expected=signed_in(302), method="post"),
    # Official documents.
    only_post("reports:record", own),
    Row("reports:record", own, own_unit(302), method="post"),
    Row("reports:download", lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk}, own_unit(200)),
    Row(
        "reports:download",
        lambda w: {"pk": w.own.pk, "doc_pk": w.other_doc.pk},
        signed_in(404),
        label="another proposal's document",
    ),
    Row("reports:preview", lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk}, own_unit(200)),
    only_post("reports:retry", lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk}),
    Row(
        "reports:retry",
        lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk},
        staff(302, 403, pemohon2=404),
        method="post",
    ),
    only_post("reports:enter_number", lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk}),
    Row(
        "reports:enter_number",
        lambda w: {"pk": w.own.pk, "doc_pk": w.doc.pk},
        staff(302, 403, pemohon2=404),
        method="post",
        data={"number": "500.12/1/DISKOMINFO/2026"},
        label="a document that has its number",
    ),
    only_post("reports:issue_missing", lambda w: {"pk": w.own.pk, "log_pk": w.own_log.pk}),
    Row(
        "reports:issue_missing",
        lambda w: {"pk": w.own.pk, "log_pk": w.own_log.pk},
        staff(302, 403, pemohon2=404),
        method="post",
    ),
    Row(
        "reports:issue_missing",
        lambda w: {"pk": w.own.pk, "log_pk": w.other_log.pk},
        signed_in(404),
        method="post",
        label="another proposal's transition",
    ),
    Row("reports:verify", expected=everyone(200)),
    Row("reports:verify", expected=everyone(400), method="post", label="empty form"),
    Row("reports:verify_code", lambda w: {"code": w.doc.code}, everyone(200)),
    Row("reports:verify_code", lambda w: {"code": "ZZZZ-9999"}, everyone(404), label="unknown"),
    Row("reports:letterhead_logo", expected=everyone(302)),
    Row("reports:document_css", expected=everyone(200)),
    # Electronic signatures (a document awaiting a Kasi's).
    Row("signing:pending", expected=staff(200, 403)),
    Row("signing:sign", lambda w: {"pk": w.signature.pk}, staff(404, 403, kasi=200)),
    Row(
        "signing:sign",
        lambda w: {"pk": w.signature.pk},
        staff(404, 403, kasi=200),
        method="post",
        label="empty passphrase",
    ),
    Row("signing:document_pdf", lambda w: {"pk": w.signature.pk}, staff(404, 403, kasi=200)),
    Row("signing:certificate", expected=staff(200, 403)),
    Row("signing:crl", expected=everyone(404), label="no CA yet"),
    Row("signing:ca_certificate", expected=everyone(404), label="no CA yet"),
    Row("signing:verify_signatures", expected=everyone(302)),
    Row("signing:verify_signatures", expected=everyone(400), method="post", label="no file"),
]


# --- the world the table walks -------------------------------------------------------------


@pytest.fixture
def world(users, actors, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        own = demo.walk(demo.create_draft(actors), actors, ["submit"])
        others = actors | {"pemohon": users["pemohon2"]}
        other = demo.walk(demo.create_draft(others, app_name="Aplikasi Disdik"), others, ["submit"])
    assert own.state == State.RECEIVE
    pdf = lambda: SimpleUploadedFile("catatan.pdf", demo.sample_pdf())  # noqa: E731
    presented = demo.walk(demo.create_draft(actors), actors, demo.path_to(State.PRESENTATION))
    meeting = demo.schedule_if_needed(presented, "presentation", users["prakom"], actors)
    return SimpleNamespace(
        presented=presented,
        invitation=meeting.invitations.get(),
        own=own,
        other=other,
        draft=demo.create_draft(actors, app_name="Draf"),
        design=demo.walk(demo.create_draft(actors), actors, demo.path_to(State.DESIGN)),
        spare_draft=demo.create_draft(actors, app_name="Draf untuk dihapus"),
        letter=own.attachments.get(kind=AttachmentKind.REQUEST_LETTER),
        other_letter=other.attachments.get(kind=AttachmentKind.REQUEST_LETTER),
        comment=comments.comment_add(actor=users["kasi"], req=own, body="Cek", upload=pdf()),
        spare_comment=comments.comment_add(actor=users["kasi"], req=own, body="Hapus saya"),
        other_comment=comments.comment_add(
            actor=users["kasi"], req=other, body="Lain", upload=pdf()
        ),
        notification=Notification.objects.filter(recipient=users["kasi"]).first(),
        doc=Document.objects.get(request=own, status=DocumentStatus.READY),
        own_log=own.log.get(transition="submit"),
        other_log=other.log.get(transition="submit"),
        other_doc=Document.objects.get(request=other, status=DocumentStatus.READY),
        app=Application.objects.create(name="SIMPUS", unit=own.unit, purpose="Puskesmas"),
        release=release_record(
            proposal=own,
            actor=users["prakom"],
            url="https://simpus.example.go.id",
            source_repository="git.example.go.id/simpus",
            version="1.0",
            hosting="pdd",
            uat_document=pdf(),
        ),
        other_app=Application.objects.create(name="PPDB", unit=other.unit, purpose="Sekolah"),
        # The tanda terima is a working paper; a signature asked of a Kasi all the same.
        signature=SignatureRequest.objects.create(
            document=Document.objects.get(request=own), order=1, role="kasi"
        ),
    )


def persona_clients(users) -> dict[str, Client]:
    result = {"anon": Client()}
    for persona in PERSONAS[1:]:
        result[persona] = Client()
        result[persona].force_login(users[persona])
    return result


def outcome(response, login_url: str) -> object:
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return ADMIN_LOGIN if login_url.startswith("/admin/") else LOGIN
    return response.status_code


# --- the URL resolver ------------------------------------------------------------------------


def route_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= route_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name or f'unnamed {entry.pattern}'}")
    return names


def test_the_table_covers_every_route():
    admin_routes = {name for name in route_names() if name.startswith("admin:")}
    assert admin_routes, "the admin is mounted"
    missing = route_names() - admin_routes - {row.name for row in ROWS}
    assert missing == set(), "routes without a row in ROWS: " + ", ".join(sorted(missing))
    unknown = {row.name for row in ROWS} - route_names()
    assert unknown == set()


@pytest.mark.django_db
def test_every_route_answers_each_person_as_the_table_says(world, users, settings):
    settings.SOPAPP_VERIFY_LIMIT_PER_MINUTE = 10_000  # the public pages' limit has its own test
    clients = persona_clients(users)
    login_url = reverse("login")
    wrong = []
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
        for persona in PERSONAS:
            client = clients[persona]
            response = getattr(client, row.method)(url, row.data or {})
            got, expected = outcome(response, login_url), row.expected[persona]
            if got != expected:
                wrong.append(f"{row.id} {url} as {persona}: {got}, expected {expected}")
            if row.name == "logout" and persona != "anon":
                client.force_login(users[persona])
    assert wrong == [], "\n".join(wrong)


# --- Django's admin ------------------------------------------------------------------------


# Admin pages that answer differently from the stock ModelAdmin, and why.
ADMIN_OVERRIDES = {
    "admin:reports_letterhead_changelist": 302,  # a single kop surat: straight to its form
}


def admin_expectation(name: str, user, world_objects: dict) -> tuple[dict, object]:
    """Kwargs and the staff answer for one admin route, from the site's own permissions."""
    if name in ADMIN_OVERRIDES:
        return {}, ADMIN_OVERRIDES[name]
    request = RequestFactory().get("/admin/")
    request.user = user
    route = name.removeprefix("admin:")
    if route in ("index", "password_change", "password_change_done", "jsi18n"):
        return {}, 200
    if route == "login":
        return {}, 302  # already signed in: on to the index
    if route == "logout":
        return {}, 405
    if route == "autocomplete":
        return {}, 403  # no field named: refused
    if route == "app_list":
        return None, None  # one row per app, below
    if route == "view_on_site":
        return None, None
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if not route.startswith(prefix):
            continue
        kind = route.removeprefix(prefix)
        obj = world_objects.get(model)
        object_kwargs = {"object_id": str(obj.pk) if obj else "999999999"}
        if kind == "changelist":
            allowed = model_admin.has_view_or_change_permission(request)
            return {}, 200 if allowed else 403
        if kind == "add":
            return {}, 200 if model_admin.has_add_permission(request) else 403
        if kind == "change":
            if not model_admin.has_view_or_change_permission(request, obj):
                return object_kwargs, 403
            return object_kwargs, 200 if obj else 302
        if kind == "delete":
            if not model_admin.has_delete_permission(request, obj):
                return object_kwargs, 403
            return object_kwargs, 200 if obj else 302
        if kind == "history":
            if obj is None:
                return object_kwargs, 302
            return object_kwargs, 200 if model_admin.has_view_or_change_permission(
                request, obj
            ) else 403
    if route == "auth_user_password_change":  # UserAdmin's own name, whatever the user model
        model = get_user_model()
        obj = world_objects[model]
        allowed = admin.site._registry[model].has_change_permission(request, obj)
        return {"id": str(obj.pk)}, 200 if allowed else 403
    raise AssertionError(f"no rule for the admin route {name}")


@pytest.mark.django_db
def test_the_admin_lets_in_staff_only_and_staff_only_as_far_as_their_permissions(world, users):
    clients = persona_clients(users)
    staff_user = users["admin"]
    assert staff_user.is_staff and not staff_user.is_superuser
    objects = {model: model._base_manager.order_by("pk").first() for model in admin.site._registry}
    apps_for_staff = {
        app["app_label"]
        for app in admin.site.get_app_list(
            type("R", (), {"user": staff_user, "path": "/admin/", "META": {}})()
        )
    }
    wrong = []
    checks = []
    for name in sorted(n for n in route_names() if n.startswith("admin:")):
        if name == "admin:app_list":
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                checks.append((name, {"app_label": label}, 200 if label in apps_for_staff else 404))
            continue
        if name == "admin:view_on_site":
            continue  # below, with a real object
        if name.startswith("admin:unnamed "):
            continue  # below: the admin's catch-all and its old-style object URLs
        kwargs, expected = admin_expectation(name, staff_user, objects)
        checks.append((name, kwargs, expected))
    user_type = ContentType.objects.get_for_model(get_user_model())
    checks.append(
        (
            "admin:view_on_site",
            {"content_type_id": user_type.pk, "object_id": str(staff_user.pk)},
            404,  # users have no page of their own
        )
    )
    urls = [(name, reverse(name, kwargs=kwargs or None), code) for name, kwargs, code in checks]
    urls.append(("admin:unnamed catch-all", "/admin/tidak-ada/", 404))
    old_style = f"/admin/workflow/user/{staff_user.pk}/"
    urls.append(("admin:unnamed <path:object_id>/", old_style, 302))
    for name, url, expected_for_staff in urls:
        for persona in PERSONAS:
            response = clients[persona].get(url)
            got = outcome(response, reverse("admin:login"))
            if persona == "admin":
                expected = expected_for_staff
            elif name == "admin:login":
                expected = 200
            elif name == "admin:logout":
                expected = 302  # not signed in to the admin: to its index, then its login
            else:
                expected = ADMIN_LOGIN
            if got != expected:
                wrong.append(f"GET {name} {url} as {persona}: {got}, expected {expected}")
    assert wrong == [], "\n".join(wrong)
