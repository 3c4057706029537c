from django import template

from catalogue.selectors import similar_applications
from workflow.roles import is_official

register = template.Library()


@register.inclusion_tag("catalogue/_similar.html", takes_context=True)
def similar_in_catalogue(context, proposal) -> dict:
    """The step-2 duplicate check beside a proposal: Diskominfo's staff only, and not on
    drafts (a draft is the unit's own unfinished work)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if proposal.state == "draft" or user is None or not is_official(user):
        return {"hidden": True}
    return {
        "similar": similar_applications(proposal),
        "unit_id": proposal.unit_id,
    }
