from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("usulan/<int:pk>/rekam-jejak/", views.record, name="record"),
    path("usulan/<int:pk>/dokumen-resmi/<int:doc_pk>/unduh/", views.download, name="download"),
    path("usulan/<int:pk>/dokumen-resmi/<int:doc_pk>/pratinjau/", views.preview, name="preview"),
    path("usulan/<int:pk>/dokumen-resmi/<int:doc_pk>/buat-ulang/", views.retry, name="retry"),
    path(
        "usulan/<int:pk>/dokumen-resmi/<int:doc_pk>/nomor/",
        views.enter_number,
        name="enter_number",
    ),
    path(
        "usulan/<int:pk>/dokumen-resmi/tahap/<int:log_pk>/terbitkan/",
        views.issue_missing,
        name="issue_missing",
    ),
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<str:code>/", views.verify_code, name="verify_code"),
    path("kop-surat/logo/", views.letterhead_logo, name="letterhead_logo"),
    path("dokumen-resmi/gaya.css", views.document_css, name="document_css"),
]
