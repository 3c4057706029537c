from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sopapp.http import AuthenticatedRequest
from workflow.forms import PreferencesForm


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pengaturan disimpan."))
        return redirect("workflow:preferences")
    return render(request, "workflow/preferences.html", {"form": form})
