"""``/health/``: database and storage checked, no login, nothing secret in the answer."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

URL = reverse("health")


@pytest.mark.django_db
def test_healthy(settings):
    response = Client().get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert "no-store" in response["Cache-Control"]
    # The probe file it wrote is gone again.
    probes = settings.MEDIA_ROOT / "health"
    assert not probes.exists() or not any(probes.iterdir())


@pytest.mark.django_db
def test_nothing_secret_in_the_answer(settings):
    body = Client().get(URL).content.decode()
    for secret in (
        settings.SECRET_KEY,
        str(settings.MEDIA_ROOT),
        settings.DATABASES["default"]["NAME"],
    ):
        assert str(secret) not in body


@pytest.mark.django_db
def test_storage_failure_is_a_503(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    settings.MEDIA_ROOT = blocker
    response = Client().get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "storage": "error"}}
    assert str(blocker) not in response.content.decode()


def test_database_failure_is_a_503():
    """Without the django_db mark, pytest-django refuses every database access: as if the
    database were down."""
    response = Client().get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


@pytest.mark.django_db
def test_only_get_and_head(settings):
    assert Client().head(URL).status_code == 200
    assert Client().post(URL).status_code == 405


@pytest.mark.django_db
def test_the_probe_answers_plain_http_where_pages_redirect_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get(reverse("login")).status_code == 301
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_anonymous_calls_reuse_a_recent_storage_check(settings, tmp_path):
    """Only the first call within half a minute writes to storage: with the storage folder
    made unusable right after it, the next calls still answer from the recent result, and
    once that has expired the probe sees the failure."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)) as clock:
        assert Client().get(URL).status_code == 200
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("a file where the storage folder should be")
        settings.MEDIA_ROOT = blocker  # any write would fail from now on
        for _ in range(20):
            assert Client().get(URL).json()["checks"]["storage"] == "ok"
        clock.shift(datetime.timedelta(seconds=31))
        response = Client().get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error"
