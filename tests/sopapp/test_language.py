"""Bahasa Indonesia by default whatever the browser says; English by choice."""

from django.urls import reverse


def test_indonesian_even_when_the_browser_asks_for_english(clients):
    page = clients["kasi"].get(reverse("workflow:inbox"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert page["Content-Language"] == "id"
    assert "Kotak masuk" in page.content.decode()


def test_the_switcher_changes_the_language_and_back(clients):
    client = clients["kasi"]
    response = client.post(reverse("set_language"), {"language": "en", "next": "/kotak-masuk/"})
    assert response.status_code == 302
    page = client.get(reverse("workflow:inbox"))
    assert page["Content-Language"] == "en"
    assert "Inbox" in page.content.decode() and "Kotak masuk" not in page.content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/kotak-masuk/"})
    assert client.get(reverse("workflow:inbox"))["Content-Language"] == "id"


def test_an_unknown_language_cookie_falls_back_to_indonesian(clients, settings):
    client = clients["kasi"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("workflow:inbox"))["Content-Language"] == "id"


def test_each_language_is_offered_in_its_own_name(clients):
    """An English reader finds "English" on an Indonesian page, and the reverse."""
    html = clients["kasi"].get(reverse("workflow:inbox")).content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "Inggris" not in html
    clients["kasi"].post(reverse("set_language"), {"language": "en", "next": "/"})
    html = clients["kasi"].get(reverse("workflow:inbox")).content.decode()
    assert '<option value="id" lang="id">Bahasa Indonesia</option>' in html
