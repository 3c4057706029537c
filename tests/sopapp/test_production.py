"""Production mode (``DJANGO_DEBUG=False``): fails fast without its secrets, and
``manage.py check --deploy`` reports nothing once they are given.

Settings are read once per process, so each case runs in a fresh Python process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET = "k3Y-" + "x7Qp9Lm2Zr" * 6  # 64 characters, many distinct ones
PRODUCTION = {
    "DJANGO_DEBUG": "False",
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "sop.example.go.id",
    "SOPAPP_PUBLIC_URL": "https://sop.example.go.id",
    "DATABASE_URL": "postgres://sopapp:rahasia@db.internal:5432/sopapp",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SOPAPP_")) and k != "DATABASE_URL"
    }
    clean["DJANGO_SETTINGS_MODULE"] = "sopapp.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_of(**env: str) -> dict:
    """Import the settings module alone (no apps, no database) and report some values."""
    code = (
        "import json; from sopapp import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in %r}, default=str))"
    )
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "STORAGES",
        "TASKS",
        "DATABASES",
    ]
    result = run(["-c", code % names], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "Environment variable DJANGO_SECRET_KEY is required."),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG=False."),
        ("SOPAPP_PUBLIC_URL", "Environment variable SOPAPP_PUBLIC_URL is required."),
    ],
)
def test_production_refuses_to_start_without(missing, message):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_a_short_secret_key_is_refused():
    result = run(["manage.py", "check"], **(PRODUCTION | {"DJANGO_SECRET_KEY": "pendek"}))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 characters long." in result.stderr


def test_check_deploy_reports_nothing():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_production_settings_are_the_hardened_ones():
    values = settings_of(**PRODUCTION)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASES"]["default"]["HOST"] == "db.internal"
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert values["STORAGES"]["default"]["BACKEND"] == (
        "django.core.files.storage.FileSystemStorage"
    )
    assert values["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


class TestFileStorageSetting:
    def test_s3_compatible_storage_from_the_environment(self):
        values = settings_of(
            SOPAPP_FILE_STORAGE="s3",
            SOPAPP_S3_BUCKET="sopapp-dokumen",
            SOPAPP_S3_ENDPOINT_URL="https://s3.pdn.example.go.id",
        )
        default = values["STORAGES"]["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == "sopapp-dokumen"
        assert default["OPTIONS"]["endpoint_url"] == "https://s3.pdn.example.go.id"
        assert default["OPTIONS"]["default_acl"] == "private"
        assert default["OPTIONS"]["file_overwrite"] is False

    @pytest.mark.parametrize(
        ("env", "message"),
        [
            ({"SOPAPP_FILE_STORAGE": "s3"}, "SOPAPP_S3_BUCKET is required"),
            ({"SOPAPP_FILE_STORAGE": "ftp"}, "SOPAPP_FILE_STORAGE must be 'local' or 's3'."),
        ],
    )
    def test_bad_storage_settings_are_refused(self, env, message):
        result = run(["-c", "import sopapp.settings"], **env)
        assert result.returncode != 0 and message in result.stderr
