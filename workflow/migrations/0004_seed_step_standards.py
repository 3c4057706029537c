from django.db import migrations

# The SOP's table, section 5 (Alur Proses, Mutu Baku).
STANDARDS = [
    (1, "Mengajukan usulan pembuatan aplikasi", "Perangkat Daerah Pemohon",
     "Usulan pembuatan aplikasi", "Usulan pembuatan sistem aplikasi", 1, "working_days"),
    (2, "Menerima dan mempelajari usulan pembuatan aplikasi", "Kasi",
     "Usulan pembuatan aplikasi", "Usulan pembuatan sistem aplikasi", 1, "working_days"),
    (3, "Meneruskan usulan pembuatan aplikasi", "Kasi, Kabid",
     "Usulan pembuatan aplikasi", "Usulan pembuatan sistem aplikasi", 1, "working_days"),
    (4, "Mempelajari usulan pembuatan aplikasi (perlu/tidak perlu)", "Kepala Dinas",
     "Usulan pembuatan aplikasi", "Usulan pembuatan sistem aplikasi", 1, "months"),
    (5, "Melakukan perumusan struktur data dan alur program dan melakukan perancangan "
        "interface aplikasi yang akan dibuat", "Staf Prakom",
     "Rumusan struktur data dan alur program serta rancangan sistem",
     "Rumusan struktur data dan alur program serta rancangan sistem", 1, "weeks"),
    (6, "Mempresentasikan sistem yang telah dirancang kepada pengguna", "Staf Prakom",
     "Rancangan sistem", "Rancangan sistem", 2, "weeks"),
    (7, "Mereview aplikasi yang telah dirancang dan memperbaiki sistem sesuai dengan "
        "kebutuhan pengguna", "Staf Prakom", "Rancangan sistem", "Rancangan sistem", 1, "weeks"),
    (8, "Membuat buku manual dan laporan atas sistem yang telah dikembangkan", "Staf Prakom",
     "Rancangan sistem", "Rancangan sistem", 1, "weeks"),
    (9, "Menerima dan mengecek laporan hasil pembuatan aplikasi", "Kasi",
     "Laporan, aplikasi", "Aplikasi", 1, "working_days"),
    (10, "Menerima dan mengecek laporan hasil pembuatan aplikasi", "Kabid",
     "Laporan, aplikasi", "Aplikasi", 1, "working_days"),
    (11, "Menerima dan mengecek laporan hasil pembuatan aplikasi", "Kepala Dinas",
     "Laporan, aplikasi", "Aplikasi", 1, "working_days"),
    (12, "Melaksanakan sosialisasi kepada pengguna", "Staf Prakom", "Aplikasi", "Aplikasi", 1,
     "weeks"),
]


def seed(apps, schema_editor):
    StepStandard = apps.get_model("workflow", "StepStandard")
    for step, activity, actor, inputs, output, amount, unit in STANDARDS:
        StepStandard.objects.get_or_create(step=step, defaults={
            "activity": activity, "actor": actor, "inputs": inputs, "output": output,
            "amount": amount, "unit": unit,
        })


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_calendarday_stepstandard_stepvisit_reminderlog_and_more")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
