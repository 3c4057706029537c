from django.contrib import admin

from requests_intake.models import PerangkatDaerah
from sopapp.admin_a11y import AccessibleAdminMixin
from sopapp.admin_lookups import SafeDateHierarchyMixin


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(SafeDateHierarchyMixin, AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "short_name")
    ordering = ("name",)
