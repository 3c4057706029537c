"""The product's URLs plus the Django admin changelist of the proposals, for the bench only."""

from django.apps import apps
from django.contrib import admin
from django.urls import path

from sopapp.urls import urlpatterns as product_urlpatterns


class ProposalAdmin(admin.ModelAdmin):
    """What a Django office would do: the admin changelist of the proposals, defaults kept."""

    list_display = ("registration_number", "app_name", "unit", "state", "created_at")
    list_select_related = ("unit",)
    list_per_page = 25
    search_fields = ("registration_number", "app_name", "unit__name")
    list_filter = ("state",)


site = admin.AdminSite(name="bench_admin")
site.register(apps.get_model("requests_intake", "ApplicationRequest"), ProposalAdmin)

urlpatterns = [*product_urlpatterns, path("bench-admin/", site.urls)]
