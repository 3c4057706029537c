"""``{% icon "bell" %}``: a vendored Bootstrap Icons SVG, inlined so it takes the text colour.

The icons are files under ``static/vendor/bootstrap-icons/`` (MIT licence beside them), read
once per process. They are decorative: hidden from assistive technology and never focusable,
so the text next to them carries the meaning. Inline SVG needs neither script nor a style
attribute, so it passes the strict Content-Security-Policy.
"""

from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

register = template.Library()

ICON_DIR = "vendor/bootstrap-icons"


@lru_cache(maxsize=32)
def _svg(name: str) -> str:
    path = finders.find(f"{ICON_DIR}/{name}.svg")
    if path is None:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}: add it to {ICON_DIR}/")
    with open(path, encoding="utf-8") as fh:
        svg = fh.read().strip()
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1).replace(
        'class="bi ', 'class="sop-icon bi ', 1
    )


@register.simple_tag
def icon(name: str) -> str:
    return mark_safe(_svg(name))  # noqa: S308 - our own vendored file, not user input
