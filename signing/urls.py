from django.urls import path

from signing import views

app_name = "signing"

urlpatterns = [
    path("tte/", views.pending, name="pending"),
    path("tte/<int:pk>/", views.sign, name="sign"),
    path("tte/<int:pk>/dokumen.pdf", views.document_pdf, name="document_pdf"),
    path("tte/sertifikat/", views.certificate, name="certificate"),
    path("tte/crl/", views.crl, name="crl"),
    path("tte/ca.pem", views.ca_certificate, name="ca_certificate"),
    path("verifikasi/tanda-tangan/", views.verify_signatures, name="verify_signatures"),
]
