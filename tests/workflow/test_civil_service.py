"""NIP, pangkat/golongan and employment of a person, as checked before they sign."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from workflow import demo
from workflow.civil_service import check_person, format_nip, rank_display, validate_nip


@pytest.mark.parametrize(
    "nip",
    ["197805122005011004", "198203152008012003", "19780512 200501 1 004"],
)
def test_valid_nips(nip):
    validate_nip(nip)


@pytest.mark.parametrize(
    ("nip", "why"),
    [
        ("19780512200501100", "18 angka"),  # 17 digits
        ("1978051220050110045", "18 angka"),
        ("19780512200501100A", "18 angka"),
        ("197813122005011004", "tanggal lahir"),  # month 13
        ("197802302005011004", "tanggal lahir"),  # 30 February
        ("197805122005131004", "TMT"),  # month 13 of service
        ("197805121980011004", "TMT"),  # in service at two
        ("197805122005013004", "jenis kelamin"),
        ("197805122005011000", "000"),
    ],
)
def test_invalid_nips_say_why(nip, why):
    with pytest.raises(ValidationError) as caught:
        validate_nip(nip)
    assert why in caught.value.messages[0]


def test_printing():
    assert format_nip("197805122005011004") == "19780512 200501 1 004"
    assert rank_display("IV/b") == "Pembina Tingkat I (IV/b)"
    assert rank_display("PPPK-IX") == "Golongan IX"


def test_rank_must_fit_the_employment():
    assert check_person("pns", "197805122005011004", "IV/b") == {}
    assert "rank" in check_person("pns", "197805122005011004", "PPPK-IX")
    assert check_person("pppk", "198805122021012004", "PPPK-IX") == {}
    assert "rank" in check_person("pppk", "198805122021012004", "III/a")
    assert set(check_person("non_asn", "198805122021012004", "III/a")) == {"nip", "rank"}
    assert check_person("non_asn", "", "") == {}


def test_user_full_clean_normalises_and_refuses(users):
    user = users["kasi"]
    user.nip, user.rank = "19820315 200801 2 003", "III/d"
    user.full_clean(exclude=["password"])
    assert user.nip == "198203152008012003"
    user.nip = "198213152008012003"
    with pytest.raises(ValidationError) as caught:
        user.full_clean(exclude=["password"])
    assert "nip" in caught.value.message_dict


def test_demo_people_have_valid_records(actors):
    demo.give_staff_records(actors)
    for user in actors.values():
        user.refresh_from_db()
        user.full_clean(exclude=["password"])
        assert user.nip and user.rank and not user.signer_data_missing


def test_admin_lists_people_lacking_signer_data(clients, users):
    demo.give_staff_records({"kasi": users["kasi"]})
    url = reverse("admin:workflow_user_changelist") + "?data_ttd=kurang"
    page = clients["admin"].get(url).content.decode()

    def listed(name):
        return reverse("admin:workflow_user_change", args=[users[name].pk]) in page

    assert listed("kabid") and listed("kadis") and listed("prakom")
    assert not listed("kasi")


def test_admin_form_refuses_an_invalid_nip_with_a_message(clients, users):
    user = users["kabid"]
    url = reverse("admin:workflow_user_change", args=[user.pk])
    form = clients["admin"].get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": "kabid",
            "employment": "pns",
            "nip": "197608212000121009X",
            "rank": "IV/a",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
            "groups": [g.pk for g in user.groups.all()],
        }
    )
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = clients["admin"].post(url, data)
    assert response.status_code == 200
    assert "NIP terdiri atas 18 angka." in response.content.decode()
    user.refresh_from_db()
    assert user.nip == ""
