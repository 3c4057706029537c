"""Login and browser hardening: lockout, sessions, password rules, CSP and other headers."""

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sopapp.security import client_ip
from tests.conftest import PASSWORD
from workflow.states import State

LOGIN = reverse("login")
INBOX = reverse("workflow:inbox")


def login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


class TestBruteForceLockout:
    """django-axes, keyed on username + client address, with a cool-off."""

    def fail(self, client, username, times, address="192.0.2.10"):
        for _ in range(times):
            response = login(client, username, "salah-sandi", REMOTE_ADDR=address)
        return response

    def test_the_limit_locks_the_username_from_that_address(self, users):
        client = Client()
        assert self.fail(client, "kasi", settings.AXES_FAILURE_LIMIT - 1).status_code == 200
        locked = self.fail(client, "kasi", 1)
        assert locked.status_code == 429
        assert "Terlalu banyak percobaan masuk" in locked.content.decode()
        # Even the right password is refused now.
        response = login(client, "kasi", REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_lockout_key_is_username_and_address(self, users):
        self.fail(Client(), "kasi", settings.AXES_FAILURE_LIMIT)
        # The same person from another address, and another person from this one, get in.
        assert login(Client(), "kasi", REMOTE_ADDR="198.51.100.7").status_code == 302
        assert login(Client(), "kabid", REMOTE_ADDR="192.0.2.10").status_code == 302

    def test_the_lockout_ends_after_the_cool_off(self, users):
        self.fail(Client(), "kasi", settings.AXES_FAILURE_LIMIT)
        later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=5)
        with time_machine.travel(later, tick=False):
            response = login(Client(), "kasi", REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 302

    def test_the_cool_off_is_set_and_finite(self):
        assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
        assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]

    @pytest.mark.parametrize(
        ("proxies", "forwarded", "expected"),
        [
            (0, "203.0.113.9", "10.0.0.2"),  # no proxy: the header is the client's word only
            (1, "203.0.113.9", "203.0.113.9"),
            (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left is ignored
            (2, "6.6.6.6, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
            (2, "203.0.113.9", "10.0.0.2"),  # fewer entries than proxies: use the peer
        ],
    )
    def test_the_client_address_behind_proxies(self, proxies, forwarded, expected):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
        with override_settings(SOPAPP_PROXY_COUNT=proxies):
            assert client_ip(request) == expected


class TestSessions:
    def test_login_starts_a_new_session(self, users):
        client = Client()
        client.get(LOGIN)
        session = client.session
        session["sebelum"] = "masuk"
        session.save()
        before = session.session_key
        client.cookies[settings.SESSION_COOKIE_NAME] = before
        assert login(client, "kasi").status_code == 302
        after = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert after != before
        assert not Session.objects.filter(session_key=before).exists()

    def test_the_session_cookie_ends_with_the_browser(self, users):
        response = login(Client(), "kasi")
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["expires"] == "" and cookie["max-age"] == ""
        assert cookie["httponly"] is True

    def test_the_session_ends_after_idle_time_but_not_while_in_use(self, users):
        idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        assert idle == datetime.timedelta(minutes=60)
        client = Client()
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            login(client, "kasi")
        # Use moves the expiry: an hour of use never logs anyone out …
        for minutes in (50, 100, 150):
            with time_machine.travel(start + datetime.timedelta(minutes=minutes), tick=False):
                assert client.get(INBOX).status_code == 200
        # … an hour without one does.
        with time_machine.travel(start + datetime.timedelta(minutes=211), tick=False):
            response = client.get(INBOX)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)

    def test_reading_a_page_writes_no_session(self, users):
        client = Client()
        login(client, "kasi")
        client.get(INBOX)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX).status_code == 200
        session_sql = [q["sql"] for q in queries if "django_session" in q["sql"]]
        assert len(session_sql) == 1 and session_sql[0].startswith("SELECT")

    def test_the_expiry_moves_once_the_refresh_interval_has_passed(self, users):
        refresh = datetime.timedelta(seconds=settings.SOPAPP_SESSION_REFRESH_SECONDS)
        assert refresh == datetime.timedelta(minutes=5)
        idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        client = Client()
        start = timezone.now().replace(microsecond=0)
        with time_machine.travel(start, tick=False):
            login(client, "kasi")
        key = client.cookies[settings.SESSION_COOKIE_NAME].value

        def expiry():
            return Session.objects.get(session_key=key).expire_date

        assert expiry() == start + idle
        with time_machine.travel(start + refresh - datetime.timedelta(seconds=1), tick=False):
            assert client.get(INBOX).status_code == 200
        assert expiry() == start + idle
        with time_machine.travel(start + refresh, tick=False):
            assert client.get(INBOX).status_code == 200
        assert expiry() == start + refresh + idle

    def test_a_stale_cookie_creates_no_session(self, users):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
        assert client.get(LOGIN).status_code == 200
        assert client.get(INBOX).status_code == 302
        assert not Session.objects.exists()

    def test_logout_ends_the_session(self, users):
        client = Client()
        login(client, "kasi")
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert client.post(reverse("logout")).status_code == 302
        assert not Session.objects.filter(session_key=key).exists()
        assert client.get(INBOX).status_code == 302


class TestPasswords:
    @pytest.mark.parametrize("weak", ["12345678", "password", "pendek", "pemohon2026"])
    def test_weak_passwords_are_refused(self, users, weak):
        with pytest.raises(ValidationError):
            password_validation.validate_password(weak, users["pemohon"])

    def test_a_reasonable_password_passes(self, users):
        password_validation.validate_password("Rapat-Kominfo-Selasa-77", users["kasi"])


EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class TestHeaders:
    @pytest.mark.parametrize("who", ["anon", "kasi"])
    def test_every_page_carries_the_protective_headers(self, clients, anon, who):
        client = anon if who == "anon" else clients[who]
        response = client.get(LOGIN if who == "anon" else INBOX)
        policy = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert policy == EXPECTED_CSP
        assert "unsafe" not in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_production_sends_hsts_and_secure_cookies(self, settings, users):
        """With the production values (tests/sopapp/test_production.py checks that
        DJANGO_DEBUG=False sets exactly these)."""
        settings.SECURE_SSL_REDIRECT = True
        settings.SECURE_HSTS_SECONDS = 31536000
        settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
        client = Client()
        assert client.get(LOGIN).status_code == 301  # plain HTTP goes to HTTPS
        page = client.get(LOGIN, secure=True)
        assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
        signed_in = login(client, "kasi", secure=True)
        assert signed_in.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


# Served to browsers: no inline script, no style attribute or element, no event handlers.
# E-mails (mail clients need inline styles) and the PDF layouts (WeasyPrint) are not pages.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle\s*=|<style[\s>]|\son[a-z]+\s*=|javascript:", re.I
)
NOT_PAGES = ("emails/", "reports/pdf/")


def test_no_template_needs_inline_script_or_style():
    root = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(root)}: {match.group(0)!r}"
        for path in sorted(root.rglob("*.html"))
        if not str(path.relative_to(root)).startswith(NOT_PAGES)
        for match in INLINE.finditer(path.read_text())
    ]
    assert offenders == []


def test_rendered_pages_carry_no_inline_script_or_style(clients, make_request, actors):
    req = make_request(State.REVIEW)
    pages = [
        (clients["prakom"], reverse("requests_intake:detail", args=[req.pk])),
        (clients["kadis"], reverse("workflow:dashboard")),
        (clients["kasi"], INBOX),
        (clients["pemohon"], reverse("requests_intake:create")),
        (clients["pemohon"], reverse("requests_intake:list")),
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        assert INLINE.findall(html) == [], url
