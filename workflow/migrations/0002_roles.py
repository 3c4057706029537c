from django.db import migrations

ROLES = [
    ("pemohon", "Perangkat Daerah Pemohon", "Pemohon"),
    ("kasi", "Kepala Seksi Pengembangan Aplikasi Pemerintahan", "Kasi"),
    ("kabid", "Kepala Bidang Layanan e-Government", "Kabid"),
    ("kadis", "Kepala Dinas Komunikasi dan Informatika", "Kepala Dinas"),
    ("prakom", "Staf Pranata Komputer", "Prakom"),
    ("admin", "Administrator", "Admin"),
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    RoleTitle = apps.get_model("workflow", "RoleTitle")
    for code, title, short in ROLES:
        Group.objects.get_or_create(name=code)
        RoleTitle.objects.get_or_create(role=code, defaults={"title": title, "short_title": short})


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
