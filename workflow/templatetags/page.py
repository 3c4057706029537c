"""Page-level template helpers used by the base layout."""

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext as _

register = template.Library()


def _bound_forms(value):
    if isinstance(value, BaseForm):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, BaseForm):
                yield item
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _bound_forms(item)


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Kesalahan: " when a submitted form on the page came back with errors.

    The title is the first thing a screen reader announces after a submission; it should say
    that the submission failed, whichever of the page's forms it was.
    """
    for value in context.flatten().values():
        for form in _bound_forms(value):
            if form.is_bound and form.errors:
                return _("Kesalahan:") + " "
    return ""
