from decimal import Decimal

from django import template

from samspill.measures.charts import number as format_number

register = template.Library()


@register.filter
def number(value: Decimal | None) -> str:
    """A measured value in Norwegian notation (decimal comma, no trailing zeros)."""
    return format_number(value)
