"""The administrator role may edit the kop surat and number patterns and view the archive."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_letterhead",
    "change_letterhead",
    "view_numberpattern",
    "add_numberpattern",
    "change_numberpattern",
    "delete_numberpattern",
    "view_document",
]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now to grant them.
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="admin")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reports", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_default_letterhead"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
