from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from requests_intake import urls as intake_urls
from sopapp import health
from sopapp.forms import LoginForm
from workflow import urls as workflow_urls
from workflow.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "usulan/",
        include(
            (
                intake_urls.urlpatterns + workflow_urls.proposal_page_urlpatterns,
                intake_urls.app_name,
            )
        ),
    ),
    path("katalog/", include("catalogue.urls")),
    path("", include("workflow.urls")),
    # Before reports: its /verifikasi/<code>/ would take /verifikasi/tanda-tangan/.
    path("", include("signing.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "sopapp.views.bad_request"
handler403 = "sopapp.views.permission_denied"
handler404 = "sopapp.views.page_not_found"
handler500 = "sopapp.views.server_error"
