"""The default kop surat and one number pattern per document kind, ready to edit."""

from django.db import migrations

PATTERNS = {
    "tanda_terima": "000.8.3.3/{seq}/TT/DISKOMINFO/{year}",
    "lembar_disposisi": "000.8.3.3/{seq}/DISP/DISKOMINFO/{year}",
    "keputusan": "000.8.3.3/{seq}/KEP/DISKOMINFO/{year}",
    "rancangan_sistem": "000.8.3.3/{seq}/RS/DISKOMINFO/{year}",
    "ba_presentasi": "000.8.3.3/{seq}/BA-PRES/DISKOMINFO/{year}",
    "catatan_reviu": "000.8.3.3/{seq}/REV/DISKOMINFO/{year}",
    "laporan": "000.8.3.3/{seq}/LHP/DISKOMINFO/{year}",
    "ba_sosialisasi": "000.8.3.3/{seq}/BA-SOS/DISKOMINFO/{year}",
    "rekam_jejak": "000.8.3.3/{seq}/RJ/DISKOMINFO/{year}",
}


def create_defaults(apps, schema_editor):
    Letterhead = apps.get_model("reports", "Letterhead")
    NumberPattern = apps.get_model("reports", "NumberPattern")
    letterhead, _created = Letterhead.objects.get_or_create(pk=1)
    for kind, pattern in PATTERNS.items():
        NumberPattern.objects.get_or_create(
            letterhead=letterhead, kind=kind, defaults={"pattern": pattern}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
