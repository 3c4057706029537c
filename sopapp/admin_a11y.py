"""Names for the admin's form controls that Django leaves without a label.

Django's admin labels each field of a change form, but not the controls of a tabular inline
or of an editable list (only the column heading names them), nor the second half of a split
date-and-time field. Screen readers then announce "edit text" and nothing more. These mixins
give such controls an ``aria-label`` that says the field and, in a row, which row.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils.translation import gettext as _


def _inner(widget: forms.Widget) -> forms.Widget:
    while isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget


def _name_parts(field: forms.Field) -> None:
    """A date and time field shown as two inputs: name each input."""
    widget = _inner(field.widget)
    if isinstance(widget, forms.MultiWidget) and len(widget.widgets) == 2:
        date, time = widget.widgets
        date.attrs["aria-label"] = _("%(field)s: tanggal") % {"field": field.label}
        time.attrs["aria-label"] = _("%(field)s: jam") % {"field": field.label}


def _label_row(form: forms.BaseForm) -> None:
    """Name each control of one table row after its column and its row."""
    instance = getattr(form, "instance", None)
    row = str(instance) if instance is not None and instance.pk else _("baris baru")
    for field in form.fields.values():
        widget = _inner(field.widget)
        if isinstance(widget, forms.HiddenInput | forms.MultiWidget):
            continue
        widget.attrs["aria-label"] = f"{field.label} — {row}"


def _labelled_rows(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """The form of one row of an editable list."""

    def __init__(self, *args, **kwargs):
        form_class.__init__(self, *args, **kwargs)
        _label_row(self)

    return type(form_class.__name__, (form_class,), {"__init__": __init__})


class AccessibleAdminMixin:
    """For a ``ModelAdmin``: split fields and editable-list controls get names."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            _name_parts(field)
        return field

    def get_changelist_form(self, request, **kwargs):
        return _labelled_rows(super().get_changelist_form(request, **kwargs))


class AccessibleTabularInline(admin.TabularInline):
    """A tabular inline whose controls are named by column and row, not only by the heading."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        def add_fields(self, form, index):
            # After the formset's own fields (the delete box, the order) are added.
            formset.add_fields(self, form, index)
            _label_row(form)

        return type(formset.__name__, (formset,), {"add_fields": add_fields})
