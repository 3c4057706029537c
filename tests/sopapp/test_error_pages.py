"""Error pages in Indonesian, in the site's layout, with a way back — with DEBUG off."""

import re

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from workflow.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def assert_site_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert re.search(rf"<title>{heading} · SOP Aplikasi</title>", html), html[:400]
    assert re.search(rf"<h1[^>]*>{heading}</h1>", html)
    assert '<main id="main"' in html
    assert 'href="/">' in html and "Kembali ke beranda" in html
    assert 'aria-label="Navigasi utama"' in html
    return html


def test_unknown_address_gives_the_indonesian_404_page(anon):
    html = assert_site_page(anon.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
    assert "Not Found" not in html


def test_a_proposal_of_another_unit_is_not_found_in_the_site_layout(clients, make_request):
    req = make_request("draft")
    html = assert_site_page(
        clients["pemohon2"].get(req.get_absolute_url()), 404, "Halaman tidak ditemukan"
    )
    assert "Kotak masuk" in html and "/i18n/setlang/" in html  # navigation and footer stay


def test_a_page_without_permission_gives_the_indonesian_403_page(clients):
    html = assert_site_page(clients["pemohon"].get("/dasbor/"), 403, "Akses ditolak")
    assert "hubungi administrator" in html


def test_a_form_with_a_stale_token_gives_the_indonesian_csrf_page(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/masuk/", {"username": "pemohon", "password": PASSWORD})
    html = assert_site_page(response, 403, "Formulir sudah kedaluwarsa")
    assert "CSRF" not in html
    assert "Isian Anda belum disimpan" in html


@pytest.mark.urls("tests.sopapp.error_urls")
def test_a_failure_gives_the_indonesian_500_page_without_request_context(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["kasi"])
    html = assert_site_page(client.get("/rusak/"), 500, "Terjadi kesalahan pada server")
    assert "Traceback" not in html
    # Drawn without the request's context: no language form that could not be submitted.
    assert "/i18n/setlang/" not in html and 'name="language"' not in html


def test_the_login_refusal_names_username_and_password_once(anon, users):
    response = anon.post("/masuk/", {"username": "pemohon", "password": "salah"})
    html = response.content.decode()
    assert "Nama pengguna atau sandi salah." in html
    assert "nama pengguna nama pengguna" not in html.lower()
    assert "<title>Kesalahan: Masuk · SOP Aplikasi</title>" in html


def test_the_lockout_page_is_in_the_site_layout_with_a_way_back(anon, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = anon.post("/masuk/", {"username": "pemohon", "password": "salah"})
    assert response.status_code == 429
    html = response.content.decode()
    assert '<main id="main"' in html and "Terlalu banyak percobaan masuk</h1>" in html
    assert '<a href="/masuk/">Kembali ke halaman masuk</a>' in html


@pytest.mark.parametrize(
    "path", ["/usulan/{pk}/aksi/receive/", "/usulan/{pk}/unggah/", "/notifikasi/baca-semua/"]
)
def test_an_address_that_only_takes_a_form_opened_as_a_page(clients, make_request, path):
    req = make_request(State.RECEIVE)
    response = clients["kasi"].get(path.format(pk=req.pk))
    html = assert_site_page(response, 405, "Alamat ini bukan halaman")
    assert response["Allow"] == "POST"
    assert "hanya menerima kiriman formulir" in html


def test_during_development_a_missing_page_is_ours_not_the_url_list(anon, clients, settings):
    settings.DEBUG = True
    html = assert_site_page(anon.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
    assert "URL patterns" not in html and "DEBUG = True" not in html
    html = assert_site_page(clients["kasi"].get("/usulan/999999/"), 404, "Halaman tidak ditemukan")
    assert "Kotak masuk" in html
    # Our own 404 answers keep their message (an unknown verification code, say).
    assert "Kode tidak dikenal." in anon.get("/verifikasi/ZZZZZZZZ/").content.decode()


def test_switching_language_on_a_form_returned_with_errors_goes_back_to_the_page(
    clients, make_request
):
    req = make_request(State.RECEIVE)
    page = req.get_absolute_url()
    response = clients["kasi"].post(
        f"/usulan/{req.pk}/aksi/receive/",
        {"receive-revision": req.revision},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert response.status_code == 200  # the form came back with its errors
    html = response.content.decode()
    assert f'name="next" type="hidden" value="http://testserver{page}"' in html
    switched = clients["kasi"].post(
        "/i18n/setlang/", {"language": "en", "next": f"http://testserver{page}"}
    )
    assert switched.status_code == 302 and switched["Location"].endswith(page)
    assert clients["kasi"].get(switched["Location"]).status_code == 200
