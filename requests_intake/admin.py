from django.contrib import admin

from requests_intake.models import PerangkatDaerah


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "short_name")
    ordering = ("name",)
