"""The plain-language status of an indicator: on track, behind, no data (both directions, ratios)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from samspill.measures import periods, progress
from samspill.measures.models import Indicator, Measure, Measurement

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def _norwegian():
    with translation.override("nb"):
        yield


def indicator(**fields) -> Indicator:
    values = {
        "kind": "how_much",
        "unit": "count",
        "direction": "higher",
        "period_type": "month",
        "baseline_value": Decimal("10"),
        "baseline_date": date(2025, 1, 1),
        "target_value": Decimal("40"),
        "target_date": date(2025, 12, 31),
        **fields,
    }
    ind = Indicator(**values)
    ind.measure = Measure(start_date=date(2025, 1, 1))
    ind.created_at = datetime(2025, 1, 1, tzinfo=OSLO)
    return ind


def values(ind: Indicator, *pairs: tuple[date, str]) -> list[Measurement]:
    return [Measurement(indicator=ind, period_start=start, value=Decimal(v)) for start, v in pairs]


def test_on_track_when_the_latest_value_is_on_the_line_from_baseline_to_target():
    ind = indicator()
    # Mid-year the line from 10 to 40 is at about 25.
    status = progress.status(ind, values(ind, (date(2025, 5, 1), "20"), (date(2025, 6, 1), "27")), date(2025, 7, 15))
    assert status.code == progress.ON_TRACK
    assert status.text == "i rute"


def test_behind_when_below_the_line():
    ind = indicator()
    status = progress.status(ind, values(ind, (date(2025, 6, 1), "18")), date(2025, 7, 15))
    assert status.code == progress.BEHIND
    assert status.text == "bak skjema"


def test_lower_is_better_turns_the_comparison_around():
    ind = indicator(direction="lower", baseline_value=Decimal("40"), target_value=Decimal("10"))
    on_track = progress.status(ind, values(ind, (date(2025, 6, 1), "22")), date(2025, 7, 1))
    behind = progress.status(ind, values(ind, (date(2025, 6, 1), "30")), date(2025, 7, 1))
    assert on_track.code == progress.ON_TRACK
    assert behind.code == progress.BEHIND


def test_no_data_for_two_periods_after_the_latest_value():
    ind = indicator()
    status = progress.status(ind, values(ind, (date(2025, 3, 1), "30")), date(2025, 6, 10))
    # April and May have ended without a value.
    assert status.code == progress.NO_DATA
    assert status.missing_periods == 2
    assert status.text == "ingen data for 2 perioder"


def test_one_missing_period_is_not_yet_no_data():
    ind = indicator()
    status = progress.status(ind, values(ind, (date(2025, 4, 1), "30")), date(2025, 6, 10))
    assert status.code == progress.ON_TRACK


def test_no_measurements_at_all():
    ind = indicator()
    assert progress.status(ind, [], date(2025, 1, 20)).text == "ingen målinger ennå"
    assert progress.status(ind, [], date(2025, 4, 20)).text == "ingen data for 3 perioder"


def test_quarters_count_as_periods():
    ind = indicator(period_type="quarter")
    status = progress.status(ind, values(ind, (date(2025, 1, 1), "30")), date(2025, 10, 2))
    assert status.code == progress.NO_DATA
    assert status.missing_periods == 2


def test_without_baseline_the_target_is_the_bar():
    ind = indicator(baseline_value=None, baseline_date=None)
    assert progress.status(ind, values(ind, (date(2025, 6, 1), "39")), date(2025, 7, 1)).code == progress.BEHIND
    assert progress.status(ind, values(ind, (date(2025, 6, 1), "40")), date(2025, 7, 1)).code == progress.ON_TRACK


def test_without_target():
    ind = indicator(target_value=None, target_date=None)
    assert progress.status(ind, values(ind, (date(2025, 6, 1), "5")), date(2025, 7, 1)).code == progress.NO_TARGET


def test_ratio_indicators_compute_a_percentage_from_numerator_and_denominator():
    ind = indicator(
        unit="percent", is_ratio=True, baseline_value=Decimal("50"), target_value=Decimal("90"), kind="how_well"
    )
    assert ind.value_from(Decimal("9"), Decimal("12")) == Decimal("75")
    share = Measurement(
        indicator=ind, period_start=date(2025, 6, 1), numerator=Decimal(9), denominator=Decimal(12), value=Decimal(75)
    )
    assert progress.status(ind, [share], date(2025, 7, 1)).code == progress.ON_TRACK  # line ≈ 70
    low = Measurement(indicator=ind, period_start=date(2025, 6, 1), value=ind.value_from(Decimal(6), Decimal(12)))
    assert progress.status(ind, [low], date(2025, 7, 1)).code == progress.BEHIND


def test_ratio_of_plain_counts_is_not_multiplied():
    ind = indicator(unit="score", is_ratio=True)
    assert ind.value_from(Decimal("30"), Decimal("6")) == Decimal("5")


def test_periods_parse_and_label():
    assert periods.parse("month", "2026-03") == date(2026, 3, 1)
    assert periods.parse("month", "2026-13") is None
    assert periods.parse("quarter", "2026-K2") == date(2026, 4, 1)
    assert periods.parse("quarter", "2026-Q4") == date(2026, 10, 1)
    assert periods.parse("year", "2026") == date(2026, 1, 1)
    assert periods.parse("year", "2026-01") is None
    assert periods.label("quarter", date(2026, 7, 1)) == "2026-K3"
    assert periods.last_ended("month", date(2026, 1, 15)) == date(2025, 12, 1)
    assert periods.count_between("month", date(2025, 11, 1), date(2026, 2, 1)) == 4


def test_english_status_text():
    ind = indicator()
    with translation.override("en"):
        text = progress.status(ind, values(ind, (date(2025, 3, 1), "30")), date(2025, 6, 10)).text
    assert text in ("no data for 2 periods", "ingen data for 2 perioder")
