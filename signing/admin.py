from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from signing import services
from signing.models import CertificateAuthority, SignatureRequest, SignerCertificate, SignerProfile


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at", "crl_number", "crl_next_update"]
    fields = ["name", "created_at", "certificate_pem", "crl_number", "crl_next_update"]
    readonly_fields = ("name", "created_at", "certificate_pem", "crl_number", "crl_next_update")
    actions = ["publish_crl"]

    def has_add_permission(self, request) -> bool:
        return False  # created by `manage.py signing_ca init` (the key ceremony)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Terbitkan ulang daftar pencabutan (CRL)"))
    def publish_crl(self, request, queryset) -> None:
        services.crl_publish()
        self.message_user(request, _("CRL diterbitkan ulang."), messages.SUCCESS)


@admin.register(SignerCertificate)
class SignerCertificateAdmin(admin.ModelAdmin):
    list_display = ["subject_name", "nip", "user", "issued_at", "not_after", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["subject_name", "nip", "serial", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "serial",
        "subject_name",
        "nip",
        "certificate_pem",
        "issued_at",
        "not_after",
        "revoked_at",
        "revocation_reason",
    ]
    exclude = ["pkcs12"]
    actions = ["revoke", "rotate"]

    def has_add_permission(self, request) -> bool:
        return False  # issued with the official's own passphrase (page or command)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _revoke(self, queryset, reason: str) -> int:
        return sum(
            services.certificate_revoke(certificate_id=pk, reason=reason)
            for pk in queryset.values_list("pk", flat=True)
        )

    @admin.action(description=_("Cabut sertifikat terpilih"))
    def revoke(self, request, queryset) -> None:
        count = self._revoke(queryset, "dicabut oleh administrator")
        self.message_user(
            request,
            ngettext("%(n)d sertifikat dicabut.", "%(n)d sertifikat dicabut.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Rotasi: cabut dan minta pejabat membuat sertifikat baru"))
    def rotate(self, request, queryset) -> None:
        count = self._revoke(queryset, "diganti (rotasi)")
        self.message_user(
            request,
            ngettext(
                "%(n)d sertifikat dicabut; pejabatnya membuat sertifikat baru dengan passphrase "
                "sendiri di halaman Sertifikat elektronik saya.",
                "%(n)d sertifikat dicabut; para pejabatnya membuat sertifikat baru dengan "
                "passphrase sendiri di halaman Sertifikat elektronik saya.",
                count,
            )
            % {"n": count},
            messages.SUCCESS,
        )


@admin.register(SignerProfile)
class SignerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "nik"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "nik"]
    autocomplete_fields = ["user"]


@admin.register(SignatureRequest)
class SignatureRequestAdmin(admin.ModelAdmin):
    list_display = ["document", "order", "role", "signer", "status", "signed_by", "signed_at"]
    list_filter = ["status", "role"]
    list_select_related = ["document", "signer", "signed_by"]
    search_fields = ["document__number", "sha256"]
    readonly_fields = [
        "document",
        "order",
        "role",
        "signer",
        "status",
        "signed_by",
        "signed_at",
        "backend",
        "file",
        "sha256",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
