"""The deadline holds, to the second, in Europe/Oslo, also across a daylight-saving change."""

import zoneinfo
from datetime import datetime, timedelta

import pytest

from samspill.calls.exceptions import CallClosed
from samspill.calls.models import Call
from samspill.calls.services import ensure_open
from samspill.calls.tests.factories import CallFactory

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
UTC = zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("closes", "description"),
    [
        # Summer time starts 29 March 2026 at 02:00 (clocks jump to 03:00).
        (datetime(2026, 3, 29, 23, 59, tzinfo=OSLO), "the evening after the change to summer time"),
        # Winter time starts 25 October 2026 at 03:00 (clocks go back to 02:00).
        (datetime(2026, 10, 25, 23, 59, tzinfo=OSLO), "the evening after the change to winter time"),
        (datetime(2026, 3, 29, 3, 0, tzinfo=OSLO), "the first moment of summer time"),
    ],
)
def test_open_one_second_before_and_closed_one_second_after(closes, description):
    # Arithmetic in UTC: Python adds timedeltas to zoneinfo datetimes in wall-clock time,
    # which across a daylight-saving change is not "one second earlier".
    closes = closes.astimezone(UTC)
    call = CallFactory(opens_at=closes - timedelta(days=60), closes_at=closes)
    call.refresh_from_db()
    assert call.status_at(closes - timedelta(seconds=1)) == Call.Status.OPEN, description
    ensure_open(call, now=closes - timedelta(seconds=1))
    assert call.status_at(closes) == Call.Status.CLOSED
    assert call.status_at(closes + timedelta(seconds=1)) == Call.Status.CLOSED
    with pytest.raises(CallClosed):
        ensure_open(call, now=closes + timedelta(seconds=1))


def test_the_deadline_is_oslo_time_not_utc():
    closes = datetime(2026, 5, 8, 23, 59, tzinfo=OSLO)
    call = CallFactory(opens_at=closes - timedelta(days=30), closes_at=closes)
    # 23:30 in Oslo is 21:30 UTC in May: still open.
    assert call.status_at(datetime(2026, 5, 8, 21, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))) == Call.Status.OPEN
    assert call.status_at(datetime(2026, 5, 8, 22, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))) == Call.Status.CLOSED


def test_status_is_derived_from_the_times_and_flags():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=OSLO)
    call = CallFactory(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2))
    assert call.status_at(now) == Call.Status.UPCOMING
    call.is_published = False
    assert call.status_at(now) == Call.Status.DRAFT
    call.is_published = True
    call.archived_at = now
    assert call.status_at(now) == Call.Status.ARCHIVED


def test_open_calls_are_listed_first(client):
    closed = CallFactory(
        title="Stengt", opens_at=datetime(2020, 1, 1, tzinfo=OSLO), closes_at=datetime(2020, 2, 1, tzinfo=OSLO)
    )
    open_call = CallFactory(title="Åpen")
    CallFactory(title="Utkast", is_published=False)
    response = client.get("/innspill/")
    titles = [c.title for c in response.context["page_obj"]]
    assert titles == [open_call.title, closed.title]
