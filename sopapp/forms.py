from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with a refusal that reads well in Indonesian.

    Django's own Indonesian message puts the field's name after "nama pengguna", which
    repeats the words ("Masukkan nama pengguna nama pengguna …").
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau sandi salah. Perhatikan huruf besar dan kecil pada keduanya."
        ),
    }
