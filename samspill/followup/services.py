"""Writes of followup: onboarding records, hours, follow-ups and the end of a volunteer's role.

When a role ends
----------------
A person has a *role* with an organisation while they are a member of it (a Membership) or
have an active sign-up for one of its opportunities: pending, confirmed or wait-listed, for an
ongoing opportunity or a shift that has not ended. The role ends

* when the coordinator ends it ("Avslutt som frivillig", ``end_role``), whatever else holds;
* when the person's Membership is deleted and no active sign-up is left;
* when a sign-up is cancelled (``samspill.volunteering.signals.signup_cancelled``) and
  neither a membership nor another active sign-up is left.

When it ends, the police-certificate record is deleted (politiregisterforskriften § 34-2
requires that the organisation does not keep it beyond the role) and open follow-ups are
dropped. Confidentiality signatures, training and hours stay: they are the person's record
of what they did, and the certificate lists them.
"""

from __future__ import annotations

import statistics
from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.followup.models import (
    CheckIn,
    ConfidentialityDeclaration,
    ConfidentialitySignature,
    EndedRole,
    FollowUp,
    FollowUpStep,
    HoursEntry,
    InterestEscalation,
    PoliceCertificate,
    TrainingCompletion,
    TrainingItem,
)

ACTIVE_SIGNUP_STATUSES = ("pending", "confirmed", "waitlisted")
DUE_GRACE_DAYS = 14  # a follow-up is overdue two weeks after its date
INACTIVE_AFTER_DAYS = 90  # "has not been active for three months"
ESCALATE_AFTER = timedelta(days=7)
RESPONSE_WINDOW = timedelta(days=90)


class NoLegalBasis(ValidationError):
    """No opportunity of the organisation gives a legal basis for asking for a police certificate."""


def _today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- Roles --------------------------------------------------------------------------------


def _signups():
    from samspill.volunteering.models import SignUp

    return SignUp.objects


def active_signups(organisation: Any, user: Any, now: datetime | None = None):
    now = now or timezone.now()
    return _signups().filter(
        Q(shift__isnull=True) | Q(shift__ends_at__gt=now),
        opportunity__organisation=organisation,
        user=user,
        status__in=ACTIVE_SIGNUP_STATUSES,
    )


def has_role(organisation: Any, user: Any, now: datetime | None = None) -> bool:
    from samspill.organisations.models import Membership

    return (
        Membership.objects.filter(organisation=organisation, user=user).exists()
        or active_signups(organisation, user, now).exists()
    )


def drop_role_records(*, organisation: Any, user: Any) -> int:
    """Delete what must not outlive the role: the police-certificate record and open follow-ups."""
    deleted, _by_model = PoliceCertificate.objects.filter(organisation=organisation, user=user).delete()
    FollowUp.objects.filter(organisation=organisation, user=user, done_at__isnull=True).delete()
    return deleted


def end_role_if_over(*, organisation: Any, user: Any, now: datetime | None = None) -> bool:
    """Called when a membership or sign-up goes away: drop the records if no role is left."""
    if user is None or has_role(organisation, user, now):
        return False
    drop_role_records(organisation=organisation, user=user)
    return True


@transaction.atomic
def end_role(*, organisation: Any, user: Any, by: Any, now: datetime | None = None) -> None:
    """The coordinator ends the volunteer relationship: cancel active sign-ups, drop the records."""
    from samspill.volunteering import services as volunteering

    now = now or timezone.now()
    for signup in active_signups(organisation, user, now):
        volunteering.cancel(signup, by=by)
    drop_role_records(organisation=organisation, user=user)
    EndedRole.objects.update_or_create(organisation=organisation, user=user, defaults={"ended_at": now, "ended_by": by})


# --- Police certificates ------------------------------------------------------------------


def police_certificate_basis(organisation: Any, user: Any | None = None) -> str:
    """The legal basis an opportunity of ``organisation`` states, preferring one ``user`` signed up for; "" if none."""
    from samspill.volunteering.models import Opportunity

    with_basis = Opportunity.objects.filter(organisation=organisation, requires_police_certificate=True).exclude(
        police_certificate_basis=""
    )
    if user is not None:
        own = with_basis.filter(signups__user=user).values_list("police_certificate_basis", flat=True).first()
        if own:
            return own
    return with_basis.values_list("police_certificate_basis", flat=True).first() or ""


def _basis_or_refuse(organisation: Any, user: Any) -> str:
    basis = police_certificate_basis(organisation, user)
    if not basis:
        raise NoLegalBasis(
            _(
                "Organisasjonen har ingen oppdrag med hjemmel for å be om politiattest "
                "(arbeid med mindreårige eller personer med utviklingshemming)."
            ),
            code="no_legal_basis",
        )
    return basis


@transaction.atomic
def request_police_certificate(*, organisation: Any, user: Any, by: Any, on: date) -> PoliceCertificate:
    basis = _basis_or_refuse(organisation, user)
    record, _created = PoliceCertificate.objects.get_or_create(
        organisation=organisation, user=user, defaults={"basis": basis}
    )
    record.basis, record.requested_on, record.requested_by = basis, on, by
    record.save(update_fields=["basis", "requested_on", "requested_by", "updated_at"])
    return record


@transaction.atomic
def record_police_certificate_seen(*, organisation: Any, user: Any, by: Any, seen_on: date) -> PoliceCertificate:
    if seen_on > _today():
        raise ValidationError({"seen_on": _("Datoen kan ikke være fram i tid.")})
    basis = _basis_or_refuse(organisation, user)
    record, _created = PoliceCertificate.objects.get_or_create(
        organisation=organisation, user=user, defaults={"basis": basis}
    )
    record.basis, record.seen_on, record.seen_by = basis, seen_on, by
    record.save(update_fields=["basis", "seen_on", "seen_by", "updated_at"])
    return record


# --- Confidentiality and training ----------------------------------------------------------


@transaction.atomic
def publish_declaration(*, organisation: Any, text: str, by: Any) -> ConfidentialityDeclaration:
    """A new version of the organisation's text; earlier versions and their signatures stay."""
    from samspill.organisations.models import Organisation

    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = ConfidentialityDeclaration.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"]
    return ConfidentialityDeclaration.objects.create(
        organisation=organisation, version=(latest or 0) + 1, text=text, created_by=by
    )


def current_declaration(organisation: Any) -> ConfidentialityDeclaration | None:
    return ConfidentialityDeclaration.objects.filter(organisation=organisation).order_by("-version").first()


def sign_declaration(*, declaration: ConfidentialityDeclaration, user: Any) -> ConfidentialitySignature:
    signature, _created = ConfidentialitySignature.objects.get_or_create(
        declaration=declaration, user=user, defaults={"signed_at": timezone.now()}
    )
    return signature


def record_training(*, item: TrainingItem, user: Any, completed_on: date, by: Any) -> TrainingCompletion:
    if completed_on > _today():
        raise ValidationError({"completed_on": _("Datoen kan ikke være fram i tid.")})
    completion, _created = TrainingCompletion.objects.update_or_create(
        item=item, user=user, defaults={"completed_on": completed_on, "recorded_by": by}
    )
    return completion


# --- What a signed-up person lacks -----------------------------------------------------------


@dataclass(frozen=True)
class Lack:
    name: str
    email: str
    missing: list[str]


def missing_records(opportunity: Any, signups: list[Any]) -> list[Lack]:
    """For each signed-up person, the onboarding records the opportunity requires and they lack.

    Four queries, whatever the number of people.
    """
    organisation_id = opportunity.organisation_id
    user_ids = {s.user_id for s in signups if s.user_id}
    seen = set(
        PoliceCertificate.objects.filter(
            organisation_id=organisation_id, user_id__in=user_ids, seen_on__isnull=False
        ).values_list("user_id", flat=True)
    )
    declaration = current_declaration(opportunity.organisation)
    signed = (
        set(
            ConfidentialitySignature.objects.filter(declaration=declaration, user_id__in=user_ids).values_list(
                "user_id", flat=True
            )
        )
        if declaration
        else set()
    )
    required = list(TrainingItem.objects.filter(organisation_id=organisation_id, required=True))
    done: dict[int, set[int]] = defaultdict(set)
    for item_id, user_id in TrainingCompletion.objects.filter(item__in=required, user_id__in=user_ids).values_list(
        "item_id", "user_id"
    ):
        done[user_id].add(item_id)
    lacks = []
    counted: set[object] = set()
    for signup in signups:
        key = signup.user_id or signup.email.lower()
        if key in counted:
            continue  # signed up for several shifts: one line
        counted.add(key)
        missing = []
        uid = signup.user_id
        if opportunity.requires_police_certificate and uid not in seen:
            missing.append(_("politiattest"))
        if opportunity.requires_confidentiality and (declaration is None or uid not in signed):
            missing.append(_("taushetserklæring"))
        missing += [item.title for item in required if item.pk not in done[uid]] if uid else []
        if uid is None and required:
            missing += [item.title for item in required]
        if missing:
            person = signup.user
            lacks.append(
                Lack(
                    name=(getattr(person, "name", "") or getattr(person, "email", "")) if person else signup.name,
                    email=person.email if person else signup.email,
                    missing=missing,
                )
            )
    return lacks


# --- Hours --------------------------------------------------------------------------------


def shift_hours(shift: Any) -> Decimal:
    seconds = (shift.ends_at - shift.starts_at).total_seconds()
    quarters = (Decimal(seconds) / Decimal(900)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(quarters / 4, Decimal("0.25"))


def sync_attended_hours(organisation: Any | None = None) -> int:
    """An hours entry for each attended shift of a known person that has none (idempotent)."""
    signups = (
        _signups()
        .filter(attended=True, shift__isnull=False, user__isnull=False, hours_entry__isnull=True)
        .select_related("shift", "opportunity")
    )
    if organisation is not None:
        signups = signups.filter(opportunity__organisation=organisation)
    created = 0
    for signup in signups:
        try:
            with transaction.atomic():
                HoursEntry.objects.create(
                    user_id=signup.user_id,
                    organisation_id=signup.opportunity.organisation_id,
                    opportunity=signup.opportunity,
                    signup=signup,
                    date=timezone.localdate(signup.shift.starts_at),
                    hours=shift_hours(signup.shift),
                    description=signup.opportunity.title,
                )
        except IntegrityError:
            continue  # another run got there first
        created += 1
    return created


def log_hours(
    *, user: Any, organisation: Any, opportunity: Any | None, day: date, hours: Decimal, description: str
) -> HoursEntry:
    return HoursEntry.objects.create(
        user=user, organisation=organisation, opportunity=opportunity, date=day, hours=hours, description=description
    )


def decide_hours(*, entry: HoursEntry, by: Any, approve: bool, reason: str = "") -> HoursEntry:
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor timene avvises.")})
    entry.status = HoursEntry.Status.APPROVED if approve else HoursEntry.Status.REJECTED
    entry.rejection_reason = "" if approve else reason.strip()
    entry.decided_by, entry.decided_at = by, timezone.now()
    entry.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at", "updated_at"])
    return entry


# --- Follow-up schedule -------------------------------------------------------------------


DEFAULT_STEPS = (
    (_("Etter første vakt"), 1, None),
    (_("Etter fire uker"), 28, None),
    (_("Hvert halvår"), 182, 6),
)


def add_default_steps(organisation: Any) -> None:
    if not FollowUpStep.objects.filter(organisation=organisation).exists():
        FollowUpStep.objects.bulk_create(
            FollowUpStep(organisation=organisation, name=str(name), days_after_start=days, repeat_months=months)
            for name, days, months in DEFAULT_STEPS
        )


def volunteer_starts(now: datetime, organisation_ids: list[int] | None = None) -> dict[tuple[int, int], date]:
    """(organisation, person) → the day their volunteering started: first confirmed shift, or answered interest.

    Sign-ups made before the coordinator ended the role do not count.
    """
    signups = _signups().filter(status="confirmed", user__isnull=False)
    ended_roles = EndedRole.objects.all()
    if organisation_ids is not None:
        signups = signups.filter(opportunity__organisation_id__in=organisation_ids)
        ended_roles = ended_roles.filter(organisation_id__in=organisation_ids)
    ended = {(e.organisation_id, e.user_id): e.ended_at for e in ended_roles}
    starts: dict[tuple[int, int], date] = {}
    rows = signups.values_list(
        "opportunity__organisation_id", "user_id", "shift__starts_at", "responded_at", "created_at"
    )
    for org_id, user_id, shift_start, responded_at, created_at in rows:
        end = ended.get((org_id, user_id))
        if end is not None and created_at <= end:
            continue
        began = shift_start or responded_at or created_at
        day = timezone.localdate(began)
        key = (org_id, user_id)
        if key not in starts or day < starts[key]:
            starts[key] = day
    return starts


def _latest_due(steps: list[FollowUpStep], start: date, today: date) -> tuple[date, FollowUpStep, int] | None:
    best: tuple[date, FollowUpStep, int] | None = None
    for step in steps:
        first = start + timedelta(days=step.days_after_start)
        if first > today:
            continue
        due, occurrence = first, 0
        if step.repeat_months:
            while add_months(first, step.repeat_months * (occurrence + 1)) <= today:
                occurrence += 1
            due = add_months(first, step.repeat_months * occurrence)
        if best is None or due > best[0]:
            best = (due, step, occurrence)
    return best


def create_due_followups(now: datetime) -> int:
    """For each volunteer, the follow-up the schedule says is due now, once.

    Only the latest due step is created: a volunteer who started long before the schedule
    was set up gets today's follow-up, not every one they missed.
    """
    today = _today(now)
    steps_by_org: dict[int, list[FollowUpStep]] = defaultdict(list)
    for step in FollowUpStep.objects.all():
        steps_by_org[step.organisation_id].append(step)
    if not steps_by_org:
        return 0
    created = 0
    for (org_id, user_id), start in volunteer_starts(now, list(steps_by_org)).items():
        due = _latest_due(steps_by_org[org_id], start, today)
        if due is None:
            continue
        due_on, step, occurrence = due
        _followup, was_created = FollowUp.objects.get_or_create(
            step=step,
            user_id=user_id,
            occurrence=occurrence,
            defaults={"organisation_id": org_id, "due_on": due_on, "step_name": step.name},
        )
        created += was_created
    return created


def complete_followup(*, followup: FollowUp, by: Any, note: str) -> FollowUp:
    followup.done_at, followup.done_by, followup.note = timezone.now(), by, note
    followup.save(update_fields=["done_at", "done_by", "note", "updated_at"])
    return followup


def answer_checkin(*, followup: FollowUp, satisfaction: int, wish: str, comment: str) -> CheckIn:
    checkin, _created = CheckIn.objects.update_or_create(
        followup=followup,
        defaults={"satisfaction": satisfaction, "wish": wish, "comment": comment, "answered_at": timezone.now()},
    )
    return checkin


def send_due_checkins(now: datetime) -> int:
    """Ask each volunteer with a due follow-up "Hvordan går det?" by e-mail, once per follow-up."""
    from samspill.followup import tasks

    today = _today(now)
    due = list(
        FollowUp.objects.filter(
            checkin_sent_at__isnull=True, done_at__isnull=True, due_on__lte=today, checkin__isnull=True
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            # The conditional update claims the e-mail, so two runs never both send it.
            if FollowUp.objects.filter(pk=pk, checkin_sent_at__isnull=True).update(checkin_sent_at=now):
                transaction.on_commit(partial(tasks.send_checkin.enqueue, pk))
                sent += 1
    return sent


# --- Unanswered interest ------------------------------------------------------------------


def unanswered_interest(now: datetime):
    return _signups().filter(status="pending", shift__isnull=True, responded_at__isnull=True)


def escalate_unanswered_interest(now: datetime) -> int:
    """Tell an organisation's admins about interest nobody answered in seven days, once per sign-up."""
    from samspill.followup import tasks

    waiting = (
        unanswered_interest(now)
        .filter(created_at__lte=now - ESCALATE_AFTER, escalation__isnull=True)
        .values_list("pk", "opportunity__organisation_id")
    )
    by_org: dict[int, list[int]] = defaultdict(list)
    for pk, org_id in waiting:
        by_org[org_id].append(pk)
    escalated = 0
    for org_id, signup_ids in by_org.items():
        with transaction.atomic():
            claimed = []
            for pk in signup_ids:
                try:
                    with transaction.atomic():
                        InterestEscalation.objects.create(signup_id=pk, escalated_at=now)
                except IntegrityError:
                    continue  # escalated by a concurrent run
                claimed.append(pk)
            if claimed:
                transaction.on_commit(partial(tasks.send_escalation.enqueue, org_id, claimed))
                escalated += len(claimed)
    return escalated


@dataclass(frozen=True)
class ResponseTimes:
    median: timedelta | None
    answered: int
    unanswered: int


def response_times(organisation: Any, now: datetime | None = None) -> ResponseTimes:
    """Median time from interest to answer over the last 90 days, and how many wait for an answer now."""
    now = now or timezone.now()
    interest = _signups().filter(opportunity__organisation=organisation, shift__isnull=True)
    answered = [
        responded - created
        for created, responded in interest.filter(
            created_at__gte=now - RESPONSE_WINDOW, responded_at__isnull=False
        ).values_list("created_at", "responded_at")
    ]
    waiting = interest.filter(status="pending", responded_at__isnull=True).count()
    return ResponseTimes(
        median=statistics.median(answered) if answered else None, answered=len(answered), unanswered=waiting
    )


# --- The coordinator's queue ----------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    due: list[FollowUp]
    overdue: list[FollowUp]
    inactive: list[tuple[Any, date | None]]


def queue(organisation: Any, now: datetime | None = None) -> Queue:
    """Who is due for follow-up, overdue, or has not been active for three months. Fixed number of queries."""
    from samspill.accounts.models import User

    now = now or timezone.now()
    today = _today(now)
    open_followups = list(
        FollowUp.objects.filter(organisation=organisation, done_at__isnull=True, due_on__lte=today)
        .select_related("user", "checkin")
        .order_by("due_on", "pk")
    )
    overdue_before = today - timedelta(days=DUE_GRACE_DAYS)
    due = [f for f in open_followups if f.due_on >= overdue_before]
    overdue = [f for f in open_followups if f.due_on < overdue_before]

    starts = volunteer_starts(now, [organisation.pk])
    user_ids = [user_id for (_org, user_id) in starts]
    last: dict[int, date] = {}
    for user_id, latest in (
        _signups()
        .filter(opportunity__organisation=organisation, user_id__in=user_ids, shift__starts_at__lte=now)
        .exclude(status__in=("cancelled", "declined"))
        .values("user_id")
        .annotate(latest=Max("shift__starts_at"))
        .values_list("user_id", "latest")
    ):
        last[user_id] = timezone.localdate(latest)
    for user_id, latest_day in (
        HoursEntry.objects.filter(organisation=organisation, user_id__in=user_ids)
        .values("user_id")
        .annotate(latest=Max("date"))
        .values_list("user_id", "latest")
    ):
        if user_id not in last or latest_day > last[user_id]:
            last[user_id] = latest_day
    cutoff = today - timedelta(days=INACTIVE_AFTER_DAYS)
    inactive_ids = [uid for uid in user_ids if (last.get(uid) or starts[(organisation.pk, uid)]) < cutoff]
    people = User.objects.in_bulk(inactive_ids)
    inactive = sorted(
        ((people[uid], last.get(uid)) for uid in inactive_ids if uid in people),
        key=lambda pair: (pair[1] or date.min, pair[0].pk),
    )
    return Queue(due=due, overdue=overdue, inactive=inactive)


def first_activity(organisation: Any, user: Any) -> Any:
    return (
        _signups().filter(opportunity__organisation=organisation, user=user).aggregate(first=Min("created_at"))["first"]
    )
