import pytest

from catalogue.models import Application, ApplicationKind, ApplicationStatus, Hosting


def make_app(unit, name: str, **extra) -> Application:
    values = {
        "purpose": f"Fungsi {name}",
        "hosting": Hosting.PDD,
        "year": 2020,
        "status": ApplicationStatus.ACTIVE,
    }
    values.update(extra)
    if values["status"] == ApplicationStatus.RETIRED:
        values.setdefault("retired_on", __import__("datetime").date(2024, 1, 31))
    return Application.objects.create(unit=unit, name=name, **values)


@pytest.fixture
def catalogue(units):
    """Applications of both units: Dinkes (pemohon's unit) and Disdik (the outsider's)."""
    return {
        "simpus": make_app(
            units["dinkes"],
            "SIMPUS",
            purpose="Rekam medis dan pendaftaran pasien puskesmas",
            year=2018,
            has_personal_data=True,
        ),
        "posyandu": make_app(
            units["dinkes"],
            "e-Posyandu",
            purpose="Pencatatan penimbangan balita di posyandu",
            status=ApplicationStatus.CHANGING,
            year=2020,
        ),
        "ppdb": make_app(
            units["disdik"],
            "PPDB Online",
            purpose="Penerimaan peserta didik baru",
            hosting=Hosting.PDN,
            year=2021,
        ),
        "srikandi": make_app(
            units["disdik"],
            "SRIKANDI",
            purpose="Naskah dinas elektronik dan arsip dinamis",
            kind=ApplicationKind.UMUM,
            hosting=Hosting.PDN,
            year=2022,
        ),
        "sikd": make_app(
            units["disdik"],
            "SIKD",
            purpose="Arsip dinamis sebelum SRIKANDI",
            status=ApplicationStatus.RETIRED,
            year=2016,
        ),
    }
