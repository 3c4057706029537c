"""The administrator role gets every master-data permission the README names.

Users and role groups, role titles, Perangkat Daerah, step time standards (*Mutu baku
tahap*), the working-day calendar, acting officials (Plt./Plh.) and notifications (to see
and resend failed e-mails). The kop surat, number patterns and the document archive are
granted by ``reports`` 0003.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    ("workflow", "user"): ("view", "add", "change", "delete"),
    ("auth", "group"): ("view", "add", "change", "delete"),
    ("workflow", "roletitle"): ("view", "change"),
    ("requests_intake", "perangkatdaerah"): ("view", "add", "change", "delete"),
    ("workflow", "stepstandard"): ("view", "change"),
    ("workflow", "calendarday"): ("view", "add", "change", "delete"),
    ("workflow", "actingassignment"): ("view", "add", "change", "delete"),
    ("workflow", "notification"): ("view", "change"),
}


def _permissions(apps):
    # Permissions are normally created after all migrations; create them now to grant them.
    for label in sorted({app for app, _model in GRANTS}):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    found = []
    for (app_label, model), actions in GRANTS.items():
        codenames = [f"{action}_{model}" for action in actions]
        perms = list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames,
            )
        )
        if len(perms) != len(codenames):
            raise RuntimeError(f"Missing permissions for {app_label}.{model}")
        found.extend(perms)
    return found


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name="admin")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="admin").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0007_audit_hash_chain"),
        ("requests_intake", "0005_completed_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
