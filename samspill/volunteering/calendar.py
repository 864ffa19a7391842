"""A person's shifts as an iCalendar feed (RFC 5545) at a private, revocable URL.

The URL holds a random token; only its SHA-256 is stored (``CalendarFeed``), so the link
is shown once when it is made. Making a new link replaces the old one, which stops working.
The text is written by hand: CRLF line ends, lines folded at 75 octets, times in UTC.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from samspill.volunteering.models import CalendarFeed, SignUp, hash_feed_token

PAST_DAYS = 30


def new_feed(user) -> str:
    """Make (or replace) the person's calendar link; returns the token, which is not stored."""
    raw = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_feed_token(raw), "last_used_at": None}
    )
    return raw


def revoke_feed(user) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_for_token(raw: str) -> CalendarFeed | None:
    return CalendarFeed.objects.select_related("user").filter(token_hash=hash_feed_token(raw)).first()


def feed_url(raw: str) -> str:
    return settings.SITE_URL + reverse("volunteering:calendar_feed", args=[raw])


def escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    pieces = []
    current = b""
    limit = 75
    for char in line:
        octets = char.encode()
        if len(current) + len(octets) > limit:
            pieces.append(current.decode())
            current = b""
            limit = 74  # continuation lines start with one space
        current += octets
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def feed_signups(user, now: datetime | None = None) -> Iterable[SignUp]:
    now = now or timezone.now()
    return (
        SignUp.objects.filter(
            user=user,
            status__in=(SignUp.Status.CONFIRMED, SignUp.Status.WAITLISTED),
            shift__isnull=False,
            shift__cancelled=False,
            shift__ends_at__gt=now - timedelta(days=PAST_DAYS),
        )
        .select_related("shift", "opportunity__organisation")
        .order_by("shift__starts_at")
    )


def render_ics(signups: Iterable[SignUp], now: datetime | None = None) -> str:
    now = now or timezone.now()
    host = urlparse(settings.SITE_URL).hostname or "samspill"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Samspill//Frivillige vakter//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape("Samspill – mine frivillige vakter"),
        "X-WR-TIMEZONE:Europe/Oslo",
    ]
    for signup in signups:
        shift, opportunity = signup.shift, signup.opportunity
        if shift is None:
            continue
        summary = opportunity.title
        if signup.status == SignUp.Status.WAITLISTED:
            summary = f"{summary} (venteliste nr. {signup.waitlist_position})"
        description = f"{opportunity.organisation.name}\n{settings.SITE_URL}{opportunity.get_absolute_url()}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:signup-{signup.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(shift.starts_at)}",
            f"DTEND:{_utc(shift.ends_at)}",
            "SUMMARY:" + escape(summary),
            "DESCRIPTION:" + escape(description),
            "URL:" + settings.SITE_URL + opportunity.get_absolute_url(),
            "STATUS:" + ("CONFIRMED" if signup.status == SignUp.Status.CONFIRMED else "TENTATIVE"),
        ]
        location = ", ".join(part for part in (shift.place, opportunity.address) if part)
        if location:
            lines.append("LOCATION:" + escape(location))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
