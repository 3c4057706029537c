"""Numbering settings for the letters: classification code per kind, one pattern.

Rows still holding the first version's default pattern are moved to the classification
code pattern; a pattern the administrator changed is left as it is.
"""

from django.db import migrations

LETTER_KINDS = (
    "nota_dinas",
    "surat",
    "undangan",
    "ba_presentasi",
    "laporan",
    "ba_sosialisasi",
    "ba_serah_terima",
)
CODE = "500.12"  # urusan komunikasi dan informatika (Permendagri 83/2022); editable
PATTERN = "{code}/{seq}/DISKOMINFO/{year}"


FIRST_DEFAULTS = {
    "ba_presentasi": "000.8.3.3/{seq}/BA-PRES/DISKOMINFO/{year}",
    "laporan": "000.8.3.3/{seq}/LHP/DISKOMINFO/{year}",
    "ba_sosialisasi": "000.8.3.3/{seq}/BA-SOS/DISKOMINFO/{year}",
}


def numbering_defaults(apps, schema_editor):
    Letterhead = apps.get_model("reports", "Letterhead")
    NumberPattern = apps.get_model("reports", "NumberPattern")
    letterhead, _created = Letterhead.objects.get_or_create(pk=1)
    for kind in LETTER_KINDS:
        row, created = NumberPattern.objects.get_or_create(
            letterhead=letterhead,
            kind=kind,
            defaults={"pattern": PATTERN, "classification_code": CODE},
        )
        if not created and row.pattern == FIRST_DEFAULTS.get(kind):
            row.pattern = PATTERN
            row.classification_code = CODE
            row.save(update_fields=["pattern", "classification_code"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_kinds_numbering_layout")]

    operations = [migrations.RunPython(numbering_defaults, migrations.RunPython.noop)]
