from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/unduh/", views.dashboard_export, name="dashboard_export"),
    path("usulan/<int:pk>/aksi/<slug:action>/", views.act, name="act"),
    path("usulan/<int:pk>/unggah/", views.upload, name="upload"),
]
