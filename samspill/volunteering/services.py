"""Writes on sign-ups and shifts. Each function owns its transaction; e-mails go after commit.

Why nobody is ever overbooked: every sign-up and cancellation for a shift runs in one
transaction that first locks the shift row (``select_for_update`` on PostgreSQL; on SQLite
the connection opens transactions with ``BEGIN IMMEDIATE``, which takes the database's
write lock), then takes a place with a conditional update
``confirmed_count = confirmed_count + 1 WHERE confirmed_count < capacity`` (skipped when the
count read under the lock already shows the shift full). The database
also refuses ``confirmed_count > capacity`` (a check constraint), and a person can hold only
one active sign-up per shift (a conditional unique constraint). Wait-list positions are
``max + 1`` inside the same transaction, and they close up when someone leaves the line.

The sign-up for a shift reads the shift once: the locking query also brings the opportunity's
status and organisation, so that the API's visibility checks (``sign_up_for_shift``'s
``check``) and the "is it open" check see the row as it is under the lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Field
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.volunteering.models import ACTIVE_STATUSES, Opportunity, Shift, ShiftSeries, SignUp
from samspill.volunteering.signals import signup_cancelled

M = TypeVar("M", bound=models.Model)


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
    if shift is not None:
        signup = sign_up_for_shift(shift.pk, user=user, name=name, email=email, added_by=added_by, now=now)
        signup.shift = shift  # the caller's copy, with every field loaded
        return signup
    if opportunity is None:
        raise ValueError("sign_up needs a shift or an opportunity")
    by_hand = _check_person(user, email)
    allowed = Opportunity.PUBLIC_STATUSES if by_hand else (Opportunity.Status.PUBLISHED,)
    if opportunity.status not in allowed:
        raise NotOpen
    duplicate: type[SignUpError] = PersonAlreadyAdded if by_hand else AlreadyInterested
    try:
        with transaction.atomic():
            return _register_interest(opportunity, user, name, email, added_by, duplicate)
    except IntegrityError as exc:
        # The unique constraint caught a double sign-up that raced past the check.
        raise duplicate from exc


def sign_up_for_shift(
    shift_id: int,
    *,
    user=None,
    name: str = "",
    email: str = "",
    added_by=None,
    now: datetime | None = None,
    check: Callable[[Shift | None], None] | None = None,
) -> SignUp:
    """Sign a person up for the shift ``shift_id``, as ``sign_up`` does, in one transaction.

    The shift is read once, locked, with its opportunity's status and organisation (and only
    the fields the sign-up needs). ``check``, when given, sees that row (``None`` when there
    is no such shift) before anything is written and may refuse it by raising; the API uses
    it for its 404 and 403 answers. Without ``check`` a missing shift raises
    ``Shift.DoesNotExist``.
    """
    now = now or timezone.now()
    by_hand = _check_person(user, email)
    duplicate: type[SignUpError] = PersonAlreadyAdded if by_hand else AlreadySignedUp
    try:
        with transaction.atomic():
            locked = _lock_shift(shift_id)
            if check is not None:
                check(locked)
            if locked is None:
                raise Shift.DoesNotExist
            allowed = Opportunity.PUBLIC_STATUSES if by_hand else (Opportunity.Status.PUBLISHED,)
            if locked.opportunity.status not in allowed:
                raise NotOpen
            return _sign_up_for_shift(locked, user, name, email, added_by, now, duplicate)
    except IntegrityError as exc:
        # The unique constraint caught a double sign-up that raced past the check.
        raise duplicate from exc


def _lock_shift(shift_id: int) -> Shift | None:
    """Lock the shift's row and read what a sign-up needs of it and of its opportunity.

    Written out as one statement: on the path every sign-up takes, composing the equivalent
    ``select_for_update(of=("self",)).select_related("opportunity").only(...)`` cost the
    ORM about three times the CPU of running the statement. It locks the shift only, not
    the opportunity. SQLite has no FOR UPDATE; there the transaction's ``BEGIN IMMEDIATE``
    already holds the database's write lock. The instances come back with the other
    fields deferred, as ``only()`` gives them.
    """
    features = connection.features
    shift_columns = [_field(Shift, name) for name in _LOCKED_SHIFT_FIELDS]
    opportunity_columns = [_field(Opportunity, name) for name in _LOCKED_OPPORTUNITY_FIELDS]
    sql = "SELECT {} FROM {} s INNER JOIN {} o ON o.{} = s.{} WHERE s.{} = %s".format(  # noqa: S608 - names only
        ", ".join([f"s.{_quoted(f)}" for f in shift_columns] + [f"o.{_quoted(f)}" for f in opportunity_columns]),
        connection.ops.quote_name(Shift._meta.db_table),
        connection.ops.quote_name(Opportunity._meta.db_table),
        _quoted(_field(Opportunity, "id")),
        _quoted(_field(Shift, "opportunity")),
        _quoted(_field(Shift, "id")),
    )
    if features.has_select_for_update_of:
        sql += " FOR UPDATE OF s"
    elif features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [shift_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [_from_db(field, value) for field, value in zip(shift_columns + opportunity_columns, row, strict=True)]
    shift = _partial(Shift, dict(zip([f.attname for f in shift_columns], values[: len(shift_columns)], strict=True)))
    shift.opportunity = _partial(
        Opportunity,
        dict(zip([f.attname for f in opportunity_columns], values[len(shift_columns) :], strict=True)),
    )
    return shift


# What the sign-up reads of the locked shift and its opportunity.
_LOCKED_SHIFT_FIELDS = ("id", "cancelled", "starts_at", "capacity", "confirmed_count", "opportunity")
_LOCKED_OPPORTUNITY_FIELDS = ("id", "status", "organisation")


def _field(model: type[models.Model], name: str) -> Field:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field


def _quoted(field: Field) -> str:
    return connection.ops.quote_name(str(field.column))


def _from_db(field: Field, value: Any) -> Any:
    """``value`` as the ORM would return it for ``field`` (e.g. an aware datetime on SQLite)."""
    expression = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value


def _partial(model: type[M], values: dict[str, Any]) -> M:
    """An instance of ``model`` loaded with ``values`` (by attname); the other fields deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _check_person(user, email: str) -> bool:
    """True when the person is added by hand (no account); they need an e-mail address."""
    by_hand = user is None
    if by_hand and not email:
        raise ValueError("a person added by hand needs an e-mail address")
    return by_hand


def _active_duplicate(queryset, user, email: str) -> bool:
    if user is not None:
        return queryset.active().filter(user=user).exists()
    key = _email_key(email)
    return (
        queryset.active().filter(user__isnull=True, email__iexact=key).exists()
        or queryset.active().filter(user__email__iexact=key).exists()
    )


def _sign_up_for_shift(locked: Shift, user, name, email, added_by, now, duplicate) -> SignUp:
    """The sign-up itself; ``locked`` is the shift row, locked by this transaction."""
    if locked.cancelled or locked.starts_at <= now:
        raise ShiftClosed
    # A person with an account: the unique constraint ``one_active_signup_per_shift`` refuses the
    # second row, and the IntegrityError rolls the whole transaction back (see sign_up).
    if user is None and _active_duplicate(SignUp.objects.filter(shift=locked), user, email):
        raise duplicate
    # The count was read under the lock, so a full shift needs no update to know it is full;
    # when there seems to be room, the conditional update still takes the place.
    took_place = locked.confirmed_count < locked.capacity and bool(
        Shift.objects.filter(pk=locked.pk, confirmed_count__lt=F("capacity")).update(
            confirmed_count=F("confirmed_count") + 1
        )
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
        signup.status = SignUp.Status.WAITLISTED
        signup.waitlist_position = _last_waitlist_position(locked.pk) + 1
    signup.save()
    return signup


def _last_waitlist_position(shift_id: int) -> int:
    """The highest wait-list position on the shift, 0 when nobody waits (under the shift's lock).

    ``max(waitlist_position)`` of the wait-listed sign-ups, written out for the same reason as
    ``_lock_shift``: every sign-up to a full shift asks it.
    """
    sql = "SELECT MAX({}) FROM {} WHERE {} = %s AND {} = %s".format(  # noqa: S608 - names only
        _quoted(_field(SignUp, "waitlist_position")),
        connection.ops.quote_name(SignUp._meta.db_table),
        _quoted(_field(SignUp, "shift")),
        _quoted(_field(SignUp, "status")),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [shift_id, SignUp.Status.WAITLISTED.value])
        row = cursor.fetchone()
    return int(row[0] or 0)


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
