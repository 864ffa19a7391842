"""Server-rendered SVG charts of an indicator: its values over time, with baseline and target lines.

Drawn with matplotlib's Agg-free SVG backend (no display, no pyplot state shared between
threads). The SVG is embedded in the page, so it is rewritten to pass our
Content-Security-Policy: style attributes and the ``<style>`` element become SVG
presentation attributes. It carries ``role="img"`` with a ``<title>`` and ``<desc>`` that
name every value; the page shows the same values in a table beside it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from samspill.measures.models import Indicator, Measurement

STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
HEADER = re.compile(r"^.*?(?=<svg)", re.S)
LINE = "#1e5aa0"  # Designsystemet accent blue
BASELINE = "#6b6b6b"
TARGET = "#0b6e2f"


def number(value: Decimal | None) -> str:
    """A value as Norwegian text: decimal comma, no trailing zeros."""
    if value is None:
        return "–"
    text = f"{value.normalize():f}" if value == value.to_integral() else f"{value:.2f}".rstrip("0")
    if "." in text and not (translation.get_language() or "nb").startswith("en"):
        text = text.replace(".", ",")
    return text


def _presentation(match: re.Match[str]) -> str:
    attrs = []
    for declaration in match[1].split(";"):
        if ":" not in declaration:
            continue
        name, value = (part.strip() for part in declaration.split(":", 1))
        if name == "font":
            # "10px 'DejaVu Sans'" → font-size and font-family
            size, _sep, family = value.partition(" ")
            attrs.append(f'font-size="{size}"')
            attrs.append(f'font-family="{family.replace(chr(39), "")}, sans-serif"')
        else:
            attrs.append(f'{name}="{value.replace(chr(34), chr(39))}"')
    return " " + " ".join(attrs) if attrs else ""


def _csp_safe(svg: str) -> str:
    svg = HEADER.sub("", svg)
    svg = STYLE_ELEMENT.sub("", svg)
    return STYLE_ATTR.sub(_presentation, svg)


METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
ID_ATTR = re.compile(r'\bid="([^"]+)"')
ID_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def _html_safe(svg: str, ident: str) -> str:
    """Inline SVG that is valid HTML: no RDF metadata, and ids unique on a page with several charts."""
    svg = METADATA.sub("", svg)
    svg = ID_ATTR.sub(lambda m: f'id="{ident}-{m.group(1)}"', svg)
    return ID_REFERENCE.sub(lambda m: f"{m.group(1)}{ident}-{m.group(2)}", svg)


def describe(indicator: Indicator, measurements: Sequence[Measurement]) -> str:
    parts = [_("%(period)s: %(value)s") % {"period": m.period_label, "value": number(m.value)} for m in measurements]
    text = _("Verdier per periode: %(values)s.") % {"values": "; ".join(parts)} if parts else _("Ingen målinger ennå.")
    if indicator.baseline_value is not None:
        text += " " + _("Utgangspunkt: %(value)s.") % {"value": number(indicator.baseline_value)}
    if indicator.target_value is not None:
        text += " " + _("Målverdi: %(value)s.") % {"value": number(indicator.target_value)}
    return text


def indicator_svg(indicator: Indicator, measurements: Sequence[Measurement], *, ident: str = "") -> str:
    """The chart as an inline ``<svg>`` element (a string of safe markup)."""
    ident = ident or f"chart-{indicator.pk}"
    ordered = sorted(measurements, key=lambda m: m.period_start)
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    dates: list[date] = [m.period_start for m in ordered]
    values = [float(m.value) for m in ordered]
    if ordered:
        positions: list = list(dates)
        axes.plot(positions, values, color=LINE, marker="o", linewidth=2, label=_("Verdi"))
        for x, y, m in zip(dates, values, ordered, strict=True):
            axes.annotate(number(m.value), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    if indicator.baseline_value is not None:
        axes.axhline(
            float(indicator.baseline_value), color=BASELINE, linestyle="--", linewidth=1, label=_("Utgangspunkt")
        )
    if indicator.target_value is not None:
        axes.axhline(float(indicator.target_value), color=TARGET, linestyle=":", linewidth=2, label=_("Målverdi"))
    axes.set_ylabel(str(indicator.get_unit_display()))
    axes.spines[["top", "right"]].set_visible(False)
    if ordered:
        axes.set_xticks(positions, [m.period_label for m in ordered], rotation=45, ha="right", fontsize=8)
    else:
        axes.set_xticks([])
    handles, _labels = axes.get_legend_handles_labels()
    if handles:
        axes.legend(loc="best", fontsize=8, frameon=False)
    figure.tight_layout()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": f"samspill-{indicator.pk}"}):
        figure.savefig(buffer, format="svg")
    svg = _html_safe(_csp_safe(buffer.getvalue()), ident)
    title = escape(_("Utvikling for %(name)s") % {"name": indicator.name})
    desc = escape(describe(indicator, ordered))
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" class="indicator-chart" ',
        1,
    )
    head_end = svg.index(">", svg.index("<svg")) + 1
    return (
        svg[:head_end]
        + f'<title id="{ident}-title">{title}</title><desc id="{ident}-desc">{desc}</desc>'
        + svg[head_end:]
    )
