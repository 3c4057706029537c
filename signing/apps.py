from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing"
    verbose_name = _("Tanda tangan elektronik")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import logging

        # pyHanko logs a full traceback for every untrusted or revoked certificate it
        # validates; the verification page reports those, they are not faults.
        for name in ("pyhanko", "pyhanko_certvalidator"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
