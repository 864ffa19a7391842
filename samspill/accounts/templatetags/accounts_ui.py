"""Designsystemet markup for forms whose templates we do not own (allauth's)."""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

_CHOICE_LISTS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


@register.simple_tag
def ds_field(field: BoundField) -> SafeString:
    """One field as a ds-field: label, description, input with ds-input, error at the field."""
    widget = field.field.widget
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs: dict[str, str] = {"class": f"{widget.attrs.get('class', '')} ds-input".strip()}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    context = {
        "field": field,
        "widget_html": field.as_widget(attrs=attrs),  # type: ignore[arg-type]
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_choice_list": isinstance(widget, _CHOICE_LISTS),
    }
    return render_to_string("accounts/_ds_field.html", context)
