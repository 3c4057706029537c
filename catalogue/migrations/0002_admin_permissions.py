"""The administrator role keeps the application catalogue (and reads the step-8 records)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    ("catalogue", "application"): ("view", "add", "change"),
    ("catalogue", "release"): ("view",),
}


def _permissions(apps):
    app_config = apps.get_app_config("catalogue")
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
        ("catalogue", "0001_initial"),
        ("workflow", "0008_admin_master_data_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
