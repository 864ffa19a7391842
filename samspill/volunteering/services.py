"""Writes on sign-ups and shifts. Each function owns its transaction; e-mails go after commit.

Why nobody is ever overbooked: every sign-up and cancellation for a shift runs in one
transaction that first locks the shift row (``select_for_update`` on PostgreSQL; on SQLite
the connection opens transactions with ``BEGIN IMMEDIATE``, which takes the database's
write lock), then takes a place with a conditional update
``confirmed_count = confirmed_count + 1 WHERE confirmed_count < capacity``. The database
also refuses ``confirmed_count > capacity`` (a check constraint), and a person can hold only
one active sign-up per shift (a conditional unique constraint). Wait-list positions are
``max + 1`` inside the same transaction, and they close up when someone leaves the line.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.volunteering.models import ACTIVE_STATUSES, Opportunity, Shift, ShiftSeries, SignUp
from samspill.volunteering.signals import signup_cancelled


class SignUpError(Exception):
    """A sign-up that cannot be made; ``message`` is for the person."""

    message = _("Påmeldingen kunne ikke registreres.")

    def __str__(self) -> str:
        return str(self.message)


class AlreadySignedUp(SignUpError):
    message = _("Du er allerede meldt på denne vakten.")


class AlreadyInterested(SignUpError):
    message = _("Du har allerede meldt interesse for dette oppdraget.")


class PersonAlreadyAdded(SignUpError):
    message = _("Denne personen er allerede meldt på.")


class NotOpen(SignUpError):
    message = _("Dette oppdraget tar ikke imot påmeldinger nå.")


class ShiftClosed(SignUpError):
    message = _("Denne vakten er avlyst eller har allerede startet.")


def _email_key(email: str) -> str:
    return email.strip().lower()


def sign_up(
    *,
    opportunity: Opportunity | None = None,
    shift: Shift | None = None,
    user=None,
    name: str = "",
    email: str = "",
    added_by=None,
    now: datetime | None = None,
) -> SignUp:
    """Sign a person up for ``shift``, or register interest in ``opportunity`` (no shift).

    A person is ``user`` (signing up themselves) or ``name`` + ``email`` (added by hand by a
    coordinator, ``added_by``). Shifts: confirmed while there is room, else wait-listed with
    a position. Interest: pending until the organisation answers.
    """
    now = now or timezone.now()
    if shift is not None:
        opportunity = shift.opportunity
    if opportunity is None:
        raise ValueError("sign_up needs a shift or an opportunity")
    by_hand = user is None
    if by_hand and not email:
        raise ValueError("a person added by hand needs an e-mail address")
    allowed = Opportunity.PUBLIC_STATUSES if by_hand else (Opportunity.Status.PUBLISHED,)
    if opportunity.status not in allowed:
        raise NotOpen
    duplicate: type[SignUpError] = PersonAlreadyAdded if by_hand else AlreadySignedUp
    if shift is None:
        duplicate = PersonAlreadyAdded if by_hand else AlreadyInterested
    try:
        with transaction.atomic():
            if shift is not None:
                return _sign_up_for_shift(shift, user, name, email, added_by, now, duplicate)
            return _register_interest(opportunity, user, name, email, added_by, duplicate)
    except IntegrityError as exc:
        # The unique constraint caught a double sign-up that raced past the check.
        raise duplicate from exc


def _active_duplicate(queryset, user, email: str) -> bool:
    if user is not None:
        return queryset.active().filter(user=user).exists()
    key = _email_key(email)
    return (
        queryset.active().filter(user__isnull=True, email__iexact=key).exists()
        or queryset.active().filter(user__email__iexact=key).exists()
    )


def _sign_up_for_shift(shift, user, name, email, added_by, now, duplicate) -> SignUp:
    locked = Shift.objects.select_for_update().only("cancelled", "starts_at", "opportunity_id").get(pk=shift.pk)
    if locked.cancelled or locked.starts_at <= now:
        raise ShiftClosed
    # A person with an account: the unique constraint ``one_active_signup_per_shift`` refuses the
    # second row, and the IntegrityError rolls the whole transaction back (see sign_up).
    if user is None and _active_duplicate(SignUp.objects.filter(shift=locked), user, email):
        raise duplicate
    took_place = Shift.objects.filter(pk=locked.pk, confirmed_count__lt=F("capacity")).update(
        confirmed_count=F("confirmed_count") + 1
    )
    signup = SignUp(
        opportunity_id=locked.opportunity_id,
        shift=locked,
        user=user,
        name="" if user else name,
        email="" if user else email,
        added_by=added_by,
    )
    if took_place:
        signup.status = SignUp.Status.CONFIRMED
    else:
        last = SignUp.objects.filter(shift=locked, status=SignUp.Status.WAITLISTED).aggregate(
            last=Max("waitlist_position")
        )["last"]
        signup.status = SignUp.Status.WAITLISTED
        signup.waitlist_position = (last or 0) + 1
    signup.save()
    return signup


def _register_interest(opportunity, user, name, email, added_by, duplicate) -> SignUp:
    existing = SignUp.objects.filter(opportunity=opportunity, shift__isnull=True)
    if _active_duplicate(existing, user, email):
        raise duplicate
    return SignUp.objects.create(
        opportunity=opportunity,
        user=user,
        name="" if user else name,
        email="" if user else email,
        added_by=added_by,
        status=SignUp.Status.PENDING,
    )


def _promote(shift_id: int) -> list[SignUp]:
    """Move people from the wait list up while there is room. Runs inside the shift's lock."""
    promoted = []
    while True:
        first = (
            SignUp.objects.filter(shift_id=shift_id, status=SignUp.Status.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if first is None:
            break
        took_place = Shift.objects.filter(pk=shift_id, confirmed_count__lt=F("capacity")).update(
            confirmed_count=F("confirmed_count") + 1
        )
        if not took_place:
            break
        position = first.waitlist_position
        first.status = SignUp.Status.CONFIRMED
        first.waitlist_position = None
        first.save(update_fields=["status", "waitlist_position"])
        _close_gap(shift_id, position)
        promoted.append(first)
    return promoted


def _close_gap(shift_id: int, position: int | None) -> None:
    if position is None:
        return
    SignUp.objects.filter(shift_id=shift_id, status=SignUp.Status.WAITLISTED, waitlist_position__gt=position).order_by(
        "waitlist_position"
    ).update(waitlist_position=F("waitlist_position") - 1)


def _after_promotion(promoted: list[SignUp]) -> None:
    from samspill.volunteering.tasks import send_promoted

    def enqueue(pk: int) -> None:
        transaction.on_commit(lambda: send_promoted.enqueue(pk))

    for signup in promoted:
        enqueue(signup.pk)


def cancel(signup: SignUp, by=None, *, now: datetime | None = None) -> SignUp:
    """Cancel a sign-up (by the person or a coordinator). The first on the wait list moves up.

    Safe to call twice. Sends ``signup_cancelled``; the promoted person is e-mailed after commit.
    """
    now = now or timezone.now()
    with transaction.atomic():
        if signup.shift_id:
            Shift.objects.select_for_update().filter(pk=signup.shift_id).first()
        locked = SignUp.objects.select_for_update().get(pk=signup.pk)
        if locked.status not in ACTIVE_STATUSES:
            return locked
        was, position = locked.status, locked.waitlist_position
        locked.status = SignUp.Status.CANCELLED
        locked.waitlist_position = None
        locked.cancelled_at = now
        locked.save(update_fields=["status", "waitlist_position", "cancelled_at"])
        promoted: list[SignUp] = []
        if locked.shift_id and was == SignUp.Status.CONFIRMED:
            Shift.objects.filter(pk=locked.shift_id, confirmed_count__gt=0).update(
                confirmed_count=F("confirmed_count") - 1
            )
            promoted = _promote(locked.shift_id)
        elif locked.shift_id and was == SignUp.Status.WAITLISTED:
            _close_gap(locked.shift_id, position)
        signup_cancelled.send(sender=SignUp, signup=locked, by=by)
        _after_promotion(promoted)
    signup.refresh_from_db()
    return locked


def answer_interest(signup: SignUp, *, accept: bool, by=None, now: datetime | None = None) -> SignUp:
    """The organisation confirms or declines a pending interest; sets ``responded_at``."""
    from samspill.volunteering.tasks import send_interest_answer

    now = now or timezone.now()
    with transaction.atomic():
        updated = SignUp.objects.filter(pk=signup.pk, status=SignUp.Status.PENDING).update(
            status=SignUp.Status.CONFIRMED if accept else SignUp.Status.DECLINED, responded_at=now
        )
        if updated:
            transaction.on_commit(lambda: send_interest_answer.enqueue(signup.pk))
    signup.refresh_from_db()
    return signup


def set_attendance(signup: SignUp, attended: bool | None) -> SignUp:
    SignUp.objects.filter(pk=signup.pk).update(attended=attended)
    signup.attended = attended
    return signup


def save_shift(shift: Shift) -> Shift:
    """Save a coordinator's changes; a larger capacity moves people up from the wait list."""
    with transaction.atomic():
        if shift.pk:
            Shift.objects.select_for_update().filter(pk=shift.pk).first()
        shift.save()
        promoted = _promote(shift.pk)
        _after_promotion(promoted)
    shift.refresh_from_db()
    return shift


def generate_shifts(series: ShiftSeries, *, now: datetime | None = None) -> int:
    """Create the series' future shifts that do not exist yet; returns how many. Idempotent.

    Future shifts of the series on dates it no longer gives (a new exception) are removed
    when nobody has signed up for them, and marked cancelled otherwise.
    """
    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        wanted = set()
        for day in series.dates():
            starts_at, ends_at = series.bounds(day)
            if starts_at <= now:
                continue
            wanted.add(starts_at)
            _, was_created = Shift.objects.get_or_create(
                series=series,
                starts_at=starts_at,
                defaults={
                    "opportunity_id": series.opportunity_id,
                    "ends_at": ends_at,
                    "place": series.place,
                    "capacity": series.capacity,
                },
            )
            created += was_created
        for shift in Shift.objects.filter(series=series, starts_at__gt=now, cancelled=False).exclude(
            starts_at__in=wanted
        ):
            if shift.signups.active().exists():
                shift.cancelled = True
                shift.save(update_fields=["cancelled", "updated_at"])
            else:
                shift.delete()
    return created
