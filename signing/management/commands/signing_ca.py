"""The local CA's key ceremony and certificate housekeeping.

manage.py signing_ca init [--name NAME] [--replace]
manage.py signing_ca issue USERNAME [--passphrase-stdin]
manage.py signing_ca revoke USERNAME [--reason TEXT]
manage.py signing_ca crl
"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from signing import services
from signing.models import CertificateAuthority, SignerCertificate


class Command(BaseCommand):
    help = "Create the office's CA, issue and revoke officials' signing certificates."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="create the CA (once)")
        init.add_argument("--name", default="")
        init.add_argument(
            "--replace",
            action="store_true",
            help="make a new CA (older certificates stop validating)",
        )
        issue = sub.add_parser("issue", help="issue an official a certificate")
        issue.add_argument("username")
        issue.add_argument(
            "--passphrase-stdin",
            action="store_true",
            help="read the passphrase from the first line of standard input",
        )
        revoke = sub.add_parser("revoke", help="revoke an official's certificate")
        revoke.add_argument("username")
        revoke.add_argument("--reason", default="")
        sub.add_parser("crl", help="publish a fresh revocation list")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _init(self, *, name: str, replace: bool, **options) -> None:
        existed = CertificateAuthority.objects.filter(pk=1).exists()
        authority = services.ca_init(name=name, replace=replace)
        verb = "Replaced" if existed and replace else ("Kept" if existed else "Created")
        self.stdout.write(f"{verb} the CA: {authority.name}")
        self.stdout.write(
            f"Its certificate for verifiers: {services.crl_url().replace('crl/', 'ca.pem')}"
        )

    def _user(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def _issue(self, *, username: str, passphrase_stdin: bool, **options) -> None:
        user = self._user(username)
        if passphrase_stdin:
            passphrase = sys.stdin.readline().rstrip("\r\n")
        else:
            passphrase = getpass.getpass(f"Passphrase for {username}: ")
            if getpass.getpass("Again: ") != passphrase:
                raise CommandError("The passphrases differ.")
        try:
            certificate = services.certificate_issue(user=user, passphrase=passphrase)
        except services.SignatureRefused as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            f"Issued {certificate.subject_name} (NIP {certificate.nip or '-'}), "
            f"serial {certificate.serial}, valid until {certificate.not_after:%Y-%m-%d}."
        )

    def _revoke(self, *, username: str, reason: str, **options) -> None:
        user = self._user(username)
        revoked = 0
        for pk in SignerCertificate.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "pk", flat=True
        ):
            revoked += services.certificate_revoke(certificate_id=pk, reason=reason)
        self.stdout.write(f"Revoked {revoked} certificate(s) of {username}.")

    def _crl(self, **options) -> None:
        der = services.crl_publish()
        self.stdout.write(f"Published a CRL of {len(der)} bytes.")
