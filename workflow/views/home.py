from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from sopapp.http import AuthenticatedRequest
from workflow.roles import user_roles


@require_GET
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    roles = user_roles(request.user)
    if roles == {"admin"} and request.user.is_staff:
        return redirect("admin:index")
    if not roles:
        return render(request, "workflow/no_role.html", status=403)
    return redirect("workflow:inbox")
