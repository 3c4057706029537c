from django.urls import path

from workflow.views import (
    comments,
    dashboard,
    inbox,
    meetings,
    notifications,
    preferences,
    proposal,
)

app_name = "workflow"

urlpatterns = [
    path("kotak-masuk/", inbox.inbox, name="inbox"),
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("dasbor/unduh/", dashboard.dashboard_export, name="dashboard_export"),
    path("usulan/<int:pk>/aksi/<slug:action>/", proposal.act, name="act"),
    path("usulan/<int:pk>/unggah/", proposal.upload, name="upload"),
    path("usulan/<int:pk>/pelaksana/", proposal.reassign, name="reassign"),
    path("usulan/<int:pk>/komentar/", comments.comment_add, name="comment_add"),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/ubah/",
        comments.comment_edit,
        name="comment_edit",
    ),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/hapus/",
        comments.comment_delete,
        name="comment_delete",
    ),
    path(
        "usulan/<int:pk>/komentar/<int:comment_pk>/lampiran/",
        comments.comment_file,
        name="comment_file",
    ),
    path("usulan/<int:pk>/jadwal/<slug:kind>/", meetings.meeting_schedule, name="meeting_schedule"),
    path(
        "usulan/<int:pk>/undangan/<int:invitation_pk>/hadir/",
        meetings.invitation_confirm,
        name="invitation_confirm",
    ),
    path("notifikasi/", notifications.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/baca/", notifications.notification_read, name="notification_read"),
    path(
        "notifikasi/baca-semua/",
        notifications.notification_read_all,
        name="notifications_read_all",
    ),
    path("pengaturan/", preferences.preferences, name="preferences"),
]

# The proposal page is drawn by the workflow but keeps its address and name in the
# proposal's namespace (``requests_intake:detail``); sopapp.urls mounts it there.
proposal_page_urlpatterns = [
    path("<int:pk>/", proposal.proposal_page, name="detail"),
]
