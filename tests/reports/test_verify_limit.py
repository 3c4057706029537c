"""The public verification page is limited per client address (codes are short)."""

import pytest
from django.test import Client
from django.urls import reverse

LIMITED = "Terlalu banyak pemeriksaan"


@pytest.fixture
def small_limit(settings):
    settings.SOPAPP_VERIFY_LIMIT_PER_MINUTE = 3
    return 3


@pytest.mark.django_db
def test_an_address_is_refused_with_a_clear_429_after_the_limit(small_limit):
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [client.get(reverse("reports:verify_code", args=["ZZZZ-ZZZZ"])) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 404]  # unknown code, but answered
    refused = client.get(reverse("reports:verify"), {"kode": "ZZZZ-ZZZZ"})
    assert refused.status_code == 429
    assert LIMITED in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    posted = client.post(reverse("reports:verify"), {"code": "ZZZZ-ZZZZ"})
    assert posted.status_code == 429
    # another address is not affected
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.get(reverse("reports:verify")).status_code == 200


@pytest.mark.django_db
def test_the_limit_keys_on_the_client_behind_the_proxy(small_limit, settings):
    settings.SOPAPP_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.2")
    for _ in range(3):
        assert first.get(reverse("reports:verify")).status_code == 200
    assert first.get(reverse("reports:verify")).status_code == 429
    # the same proxy, another client: still served; a forged left-most entry does not help
    assert second.get(reverse("reports:verify")).status_code == 200
    forged = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert forged.get(reverse("reports:verify")).status_code == 429
