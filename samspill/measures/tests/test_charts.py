"""The server-rendered chart: accessible SVG with the values, allowed by our CSP, beside a table."""

from decimal import Decimal

import pytest

from samspill.measures.charts import indicator_svg, number

pytestmark = pytest.mark.django_db


def test_chart_is_an_accessible_svg_with_the_values(indicator):
    svg = indicator_svg(indicator, list(indicator.measurements.all()))
    assert svg.startswith("<svg")
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert f'aria-labelledby="chart-{indicator.pk}-title chart-{indicator.pk}-desc"' in svg
    for text in ("2025-01: 12", "2025-02: 15", "2025-03: 19", "Utgangspunkt: 10", "Målverdi: 40"):
        assert text in svg
    # Our Content-Security-Policy forbids inline styles: no style attributes or elements.
    assert "style=" not in svg and "<style" not in svg


def test_chart_without_values(indicator):
    svg = indicator_svg(indicator, [])
    assert "Ingen målinger ennå." in svg


def test_the_page_shows_chart_and_table(client, member, indicator):
    client.force_login(member)
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert html.count('role="img"') == 1
    assert "<caption>Målinger for Besøk gjennomført</caption>" in html
    assert '<th scope="row">2025-02</th>' in html and ">15</td>" in html


def test_numbers_in_norwegian():
    assert number(Decimal("12.5000")) == "12,5"
    assert number(Decimal("40.0000")) == "40"
    assert number(None) == "–"


def test_two_charts_on_one_page_are_valid_html_with_unique_ids(indicator):
    import re

    first = indicator_svg(indicator, list(indicator.measurements.all()), ident="a")
    second = indicator_svg(indicator, list(indicator.measurements.all()), ident="b")

    # matplotlib's RDF metadata is not allowed in HTML.
    assert "<metadata" not in first and "rdf:" not in first
    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)), "ids repeat across the two charts"
    # Every internal reference (clip paths, glyphs) points at an id of its own chart.
    for svg in (first, second):
        own = set(re.findall(r'\bid="([^"]+)"', svg))
        assert set(re.findall(r'(?:href="#|url\(#)([^")]+)', svg)) <= own
