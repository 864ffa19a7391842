"""A measure in a real browser: a coordinator adopts a practice, adds an indicator with baseline and
target, enters values and sees the chart, the table and the status change; a CSV import with a bad
row is refused with its row number. axe-core runs on every page on the way.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.calls_helpers import PathAudit
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def setup():
    from samspill.accounts.tests.factories import UserFactory
    from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory
    from samspill.practices.tests.factories import PracticeFactory
    from samspill.taxonomy.models import TargetGroup

    organisation = OrganisationFactory(name="Frivilligsentralen i Voss", slug="fs-voss")
    coordinator = UserFactory(email="koordinator@example.no", name="Kari Koordinator")
    MembershipFactory(user=coordinator, organisation=organisation, role="coordinator")
    practice = PracticeFactory(title="Leksehjelp med middag", slug="leksehjelp-med-middag")
    practice.target_groups.set([TargetGroup.objects.get(slug="utsatte-barn-og-unge")])
    return coordinator, practice


def test_coordinator_adopts_a_practice_measures_it_and_imports_values(server, page, axe_source, tmp_path):
    from samspill.measures import periods
    from samspill.measures.models import Measure

    coordinator, practice = setup()
    audit = PathAudit(axe_source)
    audit.watch(page)
    log_in(page, server, coordinator.email)

    # From the practice to a draft measure.
    page.goto(f"{server}{practice.get_absolute_url()}")
    audit.check(page, "practice")
    page.get_by_role("button", name="Ta i bruk dette eksempelet").click()
    expect(page.get_by_role("heading", name="Rediger tiltaket")).to_be_visible()
    audit.check(page, "edit measure")
    measure = Measure.objects.get(adopted_practice=practice)
    page.get_by_role("link", name="Se tiltaket").click()
    page.get_by_role("button", name="Sett status: i gang").click()
    audit.check(page, "measure")

    # An indicator with baseline and target.
    today = timezone.localdate()
    last_month = periods.last_ended("month", today)
    page.get_by_role("link", name="Ny indikator").click()
    page.get_by_role("button", name="Lagre indikatoren").click()  # empty: errors first
    expect(page.locator(".ds-error-summary")).to_be_visible()
    audit.check(page, "indicator form with errors")
    page.get_by_label("Hvor mye gjorde vi?").check()
    page.get_by_label("Navn").fill("Kafékvelder holdt")
    page.get_by_label("høyere er bedre").check()
    page.locator("#id_baseline_value").fill("0")
    page.locator("#id_baseline_date").fill((last_month - timedelta(days=1)).isoformat())
    page.locator("#id_target_value").fill("8")
    page.locator("#id_target_date").fill(periods.end_of("month", last_month).isoformat())
    page.get_by_label("Ansvarlig for rapportering").select_option(label="Frivilligsentralen i Voss")
    page.get_by_role("button", name="Lagre indikatoren").click()
    expect(page.get_by_role("heading", name="Kafékvelder holdt")).to_be_visible()
    audit.check(page, "indicator")

    # A low value: behind. A correction: on track. Chart and table follow.
    label = periods.label("month", last_month)
    page.get_by_role("textbox", name="Periode").fill(label)
    page.get_by_label("Verdi (antall)").fill("3")
    page.get_by_role("button", name="Lagre målingen").click()
    expect(page.locator(".indicator-panel .ds-tag")).to_have_text("Bak skjema")
    page.get_by_role("textbox", name="Periode").fill(label)
    page.get_by_label("Verdi (antall)").fill("8")
    page.get_by_role("button", name="Lagre målingen").click()
    expect(page.locator(".indicator-panel .ds-tag")).to_have_text("I rute")
    chart = page.locator('svg[role="img"]')
    expect(chart).to_have_count(1)
    assert f"{label}: 8" in chart.locator("desc").text_content()
    expect(page.locator(".indicator-panel table")).to_contain_text(label)
    expect(page.get_by_role("heading", name="Rettelser")).to_be_visible()
    audit.check(page, "indicator with values")

    # The two other kinds, one where lower is better; each page has its chart's text alternative.
    for kind, name, direction in (
        ("Hvor godt gjorde vi det?", "Frivillige fulgt opp innen en måned", "høyere er bedre"),
        ("Har noen fått det bedre?", "Deltakere som føler seg ensomme", "lavere er bedre"),
    ):
        page.goto(f"{server}{measure.get_absolute_url()}")
        page.get_by_role("link", name="Ny indikator").click()
        page.get_by_label(kind).check()
        page.get_by_label("Navn").fill(name)
        page.get_by_label(direction).check()
        page.locator("#id_baseline_value").fill("40")
        page.locator("#id_baseline_date").fill((last_month - timedelta(days=1)).isoformat())
        page.locator("#id_target_value").fill("20" if direction == "lavere er bedre" else "80")
        page.locator("#id_target_date").fill(periods.end_of("month", last_month).isoformat())
        page.get_by_label("Ansvarlig for rapportering").select_option(label="Frivilligsentralen i Voss")
        page.get_by_role("button", name="Lagre indikatoren").click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        page.get_by_role("textbox", name="Periode").fill(label)
        page.get_by_label("Verdi (antall)").fill("30")
        page.get_by_role("button", name="Lagre målingen").click()
        # 30 is short of 80 when higher is better, and short of 20 when lower is better.
        expect(page.locator(".indicator-panel .ds-tag")).to_have_text("Bak skjema")
        expect(page.locator('svg[role="img"] desc')).to_contain_text(f"{label}: 30")
    assert set(measure.indicators.values_list("kind", flat=True)) == {"how_much", "how_well", "better_off"}
    audit.check(page, "indicator of the third kind")

    # Import: one bad row refuses the file, with its row number.
    indicator = measure.indicators.get(kind="how_much")
    csv = tmp_path / "maalinger.csv"
    csv.write_text(f"indikator;periode;verdi\n{indicator.pk};{label};7\n{indicator.pk};i fjor;5\n", encoding="utf-8")
    page.goto(f"{server}/tiltak/{measure.pk}/import/")
    audit.check(page, "import")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(csv))
    page.get_by_role("button", name="Se gjennom filen").click()
    expect(page.locator(".ds-error-summary")).to_contain_text("Rad 3:")
    expect(page.get_by_role("button", name="Lagre 1 måling")).to_have_count(0)
    audit.check(page, "import preview with a bad row")
    assert indicator.measurements.get().value == 8

    page.goto(f"{server}{measure.get_absolute_url()}")
    expect(page.locator('svg[role="img"]')).to_have_count(3)
    audit.check(page, "measure with progress")
    audit.assert_clean(at_least=9)
