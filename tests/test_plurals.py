"""A counted phrase is a plural message (ngettext, ``{% blocktranslate count %}``): English
says "1 working day" and "2 working days". Indonesian has one form for both.

The English side is read from a small catalogue of these entries, compiled here and put ahead
of the project's own: the test holds whether or not locale/ has the plural entries yet.
"""

import datetime
import shutil
import subprocess
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from workflow.forms import show_length_limits
from workflow.states import State

ENGLISH = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "%(n)s hari kerja"
msgid_plural "%(n)s hari kerja"
msgstr[0] "%(n)s working day"
msgstr[1] "%(n)s working days"

msgid "terlambat %(n)s hari kerja"
msgid_plural "terlambat %(n)s hari kerja"
msgstr[0] "%(n)s working day overdue"
msgstr[1] "%(n)s working days overdue"

msgid "Paling banyak %(limit)s karakter."
msgid_plural "Paling banyak %(limit)s karakter."
msgstr[0] "At most %(limit)s character."
msgstr[1] "At most %(limit)s characters."

msgid "Masuk dengan nama pengguna ini dari alamat Anda sudah gagal %(limit)s kali, sehingga untuk sementara ditolak."
msgid_plural "Masuk dengan nama pengguna ini dari alamat Anda sudah gagal %(limit)s kali, sehingga untuk sementara ditolak."
msgstr[0] "Logging in with this username from your address has failed %(limit)s time, so it is refused for now."
msgstr[1] "Logging in with this username from your address has failed %(limit)s times, so it is refused for now."

msgid "Coba lagi setelah %(minutes)s menit."
msgid_plural "Coba lagi setelah %(minutes)s menit."
msgstr[0] "Try again after %(minutes)s minute."
msgstr[1] "Try again after %(minutes)s minutes."
"""  # noqa: E501


@pytest.fixture
def english(tmp_path, settings):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed: `apt-get install gettext`")
    folder = tmp_path / "locale" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(ENGLISH, encoding="utf-8")
    subprocess.run(
        ["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")],
        check=True,
        timeout=60,
    )
    # Changing LOCALE_PATHS drops Django's loaded catalogues; the first path wins.
    settings.LOCALE_PATHS = [str(tmp_path / "locale"), *django_settings.LOCALE_PATHS]
    with translation.override("en"):
        yield


def in_english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sla_standards(page: str) -> list[str]:
    """The standard column of the proposal page's table of steps, in order."""
    return [
        cell.split(">", 1)[1].split("<", 1)[0]
        for cell in page.split('data-label="')[1:]
        if cell.startswith(("Standar", "Standard"))
    ]


class TestStepTable:
    """Step 2's standard is 1 working day, step 5's a week (5 working days)."""

    def test_indonesian(self, clients, make_request):
        req = make_request(State.RECEIVE)
        standards = sla_standards(clients["kasi"].get(req.get_absolute_url()).content.decode())
        assert standards[1] == "1 hari kerja" and standards[4] == "5 hari kerja"

    def test_english_has_one_day_and_several_days(self, english, clients, make_request):
        req = make_request(State.RECEIVE)
        page = in_english(clients["kasi"]).get(req.get_absolute_url()).content.decode()
        standards = sla_standards(page)
        assert standards[1] == "1 working day" and standards[4] == "5 working days"


def reminder(overdue_days: int) -> str:
    item = SimpleNamespace(
        req=SimpleNamespace(
            registration_number="PA-2026-0001",
            app_name="SIMPUS",
            unit=SimpleNamespace(short_name="Dinkes"),
            get_absolute_url=lambda: "/usulan/1/",
        ),
        visit=SimpleNamespace(step=2, due_date=datetime.date(2026, 3, 2)),
        kind="reminder",
        days=-overdue_days,
        overdue_days=overdue_days,
    )
    user = SimpleNamespace(get_full_name=lambda: "Kasi", username="kasi")
    return render_to_string("emails/reminder.txt", {"items": [item], "user": user})


class TestReminder:
    def test_indonesian(self):
        assert "terlambat 1 hari kerja" in reminder(1)
        assert "terlambat 2 hari kerja" in reminder(2)

    def test_english_has_one_day_and_several_days(self, english):
        assert "1 working day overdue" in reminder(1)
        assert "2 working days overdue" in reminder(2)


def length_hint(limit: int) -> str:
    form = forms.Form()
    form.fields["note"] = forms.CharField(widget=forms.Textarea, max_length=limit)
    show_length_limits(form)
    return str(form.fields["note"].help_text)


class TestLengthHint:
    def test_indonesian(self):
        assert length_hint(1) == "Paling banyak 1 karakter."
        assert length_hint(2000) == "Paling banyak 2.000 karakter."

    def test_english_has_one_character_and_several(self, english):
        assert length_hint(1) == "At most 1 character."
        assert length_hint(2) == "At most 2 characters."


class TestLoginLockout:
    @pytest.fixture(autouse=True)
    def _one_try_one_minute(self, settings):
        settings.AXES_FAILURE_LIMIT = 1
        settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=1)

    def locked(self, client: Client) -> str:
        response = client.post(reverse("login"), {"username": "kasi", "password": "salah"})
        assert response.status_code == 429
        return " ".join(response.content.decode().split())

    def test_indonesian(self, users):
        page = self.locked(Client())
        assert "sudah gagal 1 kali" in page and "Coba lagi setelah 1 menit." in page

    def test_english_has_one_time_and_one_minute(self, english, users):
        page = self.locked(in_english(Client()))
        assert "has failed 1 time, so" in page and "Try again after 1 minute." in page
