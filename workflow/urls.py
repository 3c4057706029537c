from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/unduh/", views.dashboard_export, name="dashboard_export"),
    path("usulan/<int:pk>/aksi/<slug:action>/", views.act, name="act"),
    path("usulan/<int:pk>/unggah/", views.upload, name="upload"),
    path("usulan/<int:pk>/pelaksana/", views.reassign, name="reassign"),
    path("usulan/<int:pk>/komentar/", views.comment_add, name="comment_add"),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/ubah/", views.comment_edit, name="comment_edit"
    ),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/hapus/",
        views.comment_delete,
        name="comment_delete",
    ),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/lampiran/",
        views.comment_file,
        name="comment_file",
    ),
    path("usulan/<int:pk>/jadwal/<slug:kind>/", views.meeting_schedule, name="meeting_schedule"),
    path(
        "usulan/<int:pk>/undangan/<int:invitation_pk>/hadir/",
        views.invitation_confirm,
        name="invitation_confirm",
    ),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", views.notification_read, name="notification_read"),
    path("notifikasi/baca-semua/", views.notification_read_all, name="notifications_read_all"),
    path("pengaturan/", views.preferences, name="preferences"),
]
