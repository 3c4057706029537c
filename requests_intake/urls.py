from django.urls import path

from requests_intake import views

app_name = "requests_intake"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("unduh/", views.request_list_export, name="list_export"),
    path("baru/", views.request_create, name="create"),
    path("<int:pk>/ubah/", views.request_edit, name="edit"),
    path("<int:pk>/hapus/", views.request_delete, name="delete"),
    path("<int:pk>/dokumen/<int:attachment_pk>/", views.attachment_download, name="attachment"),
]
