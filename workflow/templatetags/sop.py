from django import template
from django.db.models import Field
from django.utils.translation import get_language

from workflow.dashboard import holder_label
from workflow.masterdata import role_titles as cached_role_titles
from workflow.states import Role

register = template.Library()

_CACHE_KEY = "_sop_role_titles"


@register.simple_tag(takes_context=True)
def role_title(context, code: str, short: bool = False) -> str:
    """The configured title of a role (admin-editable), loaded once per request."""
    request = context.get("request")
    titles = getattr(request, _CACHE_KEY, None) if request is not None else None
    if titles is None:
        titles = cached_role_titles()
        if request is not None:
            setattr(request, _CACHE_KEY, titles)
    full, abbreviated = titles.get(code, (None, None))
    title = abbreviated if short else full
    if title:
        return str(title)
    return str(Role(code).label) if code in Role.values else code


@register.simple_tag
def holder(req) -> str:
    """Who holds a running proposal now (the assigned Prakom by name, else the role)."""
    return holder_label(req)


@register.simple_tag(takes_context=True)
def signed_as(context, log) -> str:
    """The capacity a person acted in: "Kepala Dinas", or "Plt. Kepala Dinas" when acting."""
    title = role_title(context, log.role)
    if log.acting_id:
        return f"{log.acting.get_kind_display()} {title}"
    return title


# Per language and field, each choice's label. ``get_FOO_display`` translates every label
# of the field to find one (hashing its lazy choices): fifteen translations per row of a
# table.
_LABELS: dict[tuple[str | None, Field], dict] = {}


@register.filter
def choice_label(instance, name: str) -> str:
    """``instance.get_<name>_display()``, translating the field's labels once per language."""
    field = instance._meta.get_field(name)
    key = (get_language(), field)
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(instance, field.attname)
    return labels.get(value, value)


@register.filter
def state_label(req) -> str:
    """``req.get_state_display()``, translating the labels once per language."""
    return choice_label(req, "state")
