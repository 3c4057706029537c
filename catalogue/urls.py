from django.urls import path

from catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("unduh/", views.application_export, name="export"),
    path("baru/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/ubah/", views.application_edit, name="edit"),
    path("<int:pk>/hentikan/", views.application_retire, name="retire"),
    path("rilis/<int:pk>/<str:which>/", views.release_document, name="release_document"),
]
