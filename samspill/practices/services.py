"""Writes on the catalogue: write, propose, publish, withdraw and reject practices.

Each function owns its transaction, records who made the change in the audit history
(``Practice.history``), and keeps the search index current after the write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.calls.models import Submission
from samspill.core.permissions import ELEVATED_ROLES, effective_grants
from samspill.core.text import norwegian_slugify
from samspill.organisations.models import Organisation
from samspill.places.models import Municipality
from samspill.practices import search
from samspill.practices.models import Practice

# First path segments under /eksempler/ that are pages, not practices.
RESERVED_SLUGS = frozenset({"ny", "forslag", "behandling", "feed", "atom", "rss", "api", "sok", "skriv-ut"})

SCALAR_FIELDS = ("title", *Practice.TEXT_FIELDS, "contact_name", "contact_email", "contact_phone", "evidence_level")
M2M_FIELDS = ("themes", "focus_areas", "target_groups", "municipalities", "organisations")


class NotPublishable(ValidationError):
    """Only accepted submissions whose submitter consented may become practices."""

    def __init__(self) -> None:
        super().__init__(
            _("Bare godtatte innspill der innsenderen har samtykket til publisering, kan bli gode eksempler."),
            code="not_publishable",
        )


class OutsideArea(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("Du kan bare foreslå gode eksempler fra kommunene du koordinerer."),
            code="outside_area",
        )


class InvalidTransition(ValidationError):
    def __init__(self) -> None:
        super().__init__(_("Denne statusendringen er ikke mulig."), code="invalid_status")


# --- Helpers ------------------------------------------------------------------------


def free_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = norwegian_slugify(title)[:200].strip("-") or "godt-eksempel"
    others = Practice.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    taken = set(others.values_list("slug", flat=True)) | set(RESERVED_SLUGS)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def proposal_areas(user: Any) -> list[tuple[int, QuerySet[Municipality]]]:
    """(public organisation id, its municipalities) for each area the user coordinates."""
    areas: list[tuple[int, QuerySet[Municipality]]] = []
    for grant in effective_grants(user):
        if grant.role not in ELEVATED_ROLES:
            continue
        if grant.municipality_id:
            areas.append((grant.organisation_id, Municipality.objects.filter(pk=grant.municipality_id)))
        elif grant.county_id:
            areas.append((grant.organisation_id, Municipality.objects.filter(county_id=grant.county_id)))
    return areas


def proposable_municipalities(user: Any) -> QuerySet[Municipality]:
    """The municipalities a coordinator may propose practices for (every one for site admins)."""
    if getattr(user, "is_superuser", False):
        return Municipality.objects.all()
    query = Q(pk__in=[])
    for grant in effective_grants(user):
        if grant.role in ELEVATED_ROLES and grant.municipality_id:
            query |= Q(pk=grant.municipality_id)
        elif grant.role in ELEVATED_ROLES and grant.county_id:
            query |= Q(county_id=grant.county_id)
    return Municipality.objects.filter(query)


def _apply(practice: Practice, values: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in SCALAR_FIELDS:
        if name in values:
            value = values[name] if values[name] is not None else ""
            if getattr(practice, name) != value:
                setattr(practice, name, value)
                changed.append(name)
    return changed


def _set_m2m(practice: Practice, values: Mapping[str, Any]) -> None:
    for name in M2M_FIELDS:
        if name in values and values[name] is not None:
            getattr(practice, name).set(list(values[name]))


def _save(practice: Practice, *, by: Any, fields: Iterable[str] | None = None) -> None:
    practice._history_user = by  # type: ignore[attr-defined]
    if fields is None:
        practice.save()
    else:
        practice.save(update_fields=[*fields, "updated_at"])


def _reindex(practice: Practice) -> None:
    # Inside the transaction: the index rolls back with the write it describes.
    search.index_practice(practice)


# --- Writing ------------------------------------------------------------------------


@transaction.atomic
def create_practice(
    *, values: Mapping[str, Any], by: Any, source: str = Practice.Source.DIRECT, status: str = Practice.Status.DRAFT
) -> Practice:
    """A practice written directly by an editor: a draft until it is published."""
    practice = Practice(source=source, status=status)
    _apply(practice, values)
    practice.slug = free_slug(practice.title)
    practice.full_clean(exclude=["slug"], validate_unique=False)
    _save(practice, by=by)
    _set_m2m(practice, values)
    _reindex(practice)
    return practice


@transaction.atomic
def update_practice(*, practice: Practice, values: Mapping[str, Any], by: Any) -> Practice:
    """Change the texts and classifications; the slug stays, so links keep working."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    changed = _apply(locked, values)
    locked.full_clean(exclude=["slug"], validate_unique=False)
    if changed:
        _save(locked, by=by, fields=changed)
    _set_m2m(locked, values)
    # A proposer may not move a proposal out of their own area by editing it.
    moved = "municipalities" in values and locked.status == Practice.Status.PROPOSED
    if moved and by is not None and by.pk == locked.proposed_by_id and not _within_area(by, locked):
        raise OutsideArea
    _reindex(locked)
    return locked


@transaction.atomic
def create_from_submission(*, submission: Submission, by: Any) -> Practice:
    """A draft practice with the submission's text copied for editing; the link to it stays.

    Refused unless the submission is accepted and its submitter consented to publication.
    """
    submission = Submission.objects.select_related("municipality", "organisation").get(pk=submission.pk)
    if submission.status != Submission.Status.ACCEPTED or submission.consent_to_publish is not True:
        raise NotPublishable
    values: dict[str, Any] = {name: getattr(submission, name) for name in ("title", *Practice.TEXT_FIELDS)}
    values["summary"] = values["summary"] or submission.what[:1000]
    values.update(
        contact_name=submission.contact_name,
        contact_email=submission.contact_email,
        contact_phone=submission.contact_phone,
        themes=submission.themes.all(),
        focus_areas=submission.focus_areas.all(),
        target_groups=submission.target_groups.all(),
        municipalities=[submission.municipality] if submission.municipality else [],
        organisations=[submission.organisation] if submission.organisation else [],
    )
    practice = create_practice(values=values, by=by, source=Practice.Source.SUBMISSION)
    practice.source_submission = submission
    _save(practice, by=by, fields=["source_submission"])
    return practice


def _within_area(user: Any, practice: Practice) -> Organisation | None:
    """The public organisation whose area holds all the practice's municipalities, if any."""
    numbers = set(practice.municipalities.values_list("pk", flat=True))
    if not numbers:
        return None
    for organisation_id, municipalities in proposal_areas(user):
        if numbers <= set(municipalities.values_list("pk", flat=True)):
            return Organisation.objects.get(pk=organisation_id)
    return None


@transaction.atomic
def propose(*, values: Mapping[str, Any], by: Any) -> Practice:
    """A municipality or county coordinator proposes a practice from their own area; an editor approves it."""
    practice = create_practice(values=values, by=by, status=Practice.Status.PROPOSED)
    organisation = _within_area(by, practice)
    if organisation is None:
        raise OutsideArea
    practice.proposed_by = by
    practice.proposed_for = organisation
    _save(practice, by=by, fields=["proposed_by", "proposed_for"])
    return practice


# --- Status -------------------------------------------------------------------------


@transaction.atomic
def publish(*, practice: Practice, by: Any) -> Practice:
    """Publish (or approve a proposal, or bring back a withdrawn practice). Safe to call twice."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status == Practice.Status.PUBLISHED:
        return locked
    locked.status = Practice.Status.PUBLISHED
    locked.published_by = by
    fields = ["status", "published_by"]
    if locked.published_at is None:
        locked.published_at = timezone.now()
        fields.append("published_at")
    _save(locked, by=by, fields=fields)
    _reindex(locked)
    return locked


@transaction.atomic
def withdraw(*, practice: Practice, by: Any) -> Practice:
    """Take a practice out of the catalogue; it can be published again later."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status != Practice.Status.WITHDRAWN:
        locked.status = Practice.Status.WITHDRAWN
        _save(locked, by=by, fields=["status"])
    search.remove_from_index(locked.pk)
    return locked


@transaction.atomic
def reject(*, practice: Practice, by: Any) -> Practice:
    """Turn down a proposal: it is withdrawn, and stays visible to the proposer."""
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if locked.status != Practice.Status.PROPOSED:
        raise InvalidTransition
    return withdraw(practice=locked, by=by)


def count_adoption(practice: Practice) -> None:
    """One more measure adopted this practice (the catalogue sorts by "most adopted")."""
    Practice.objects.filter(pk=practice.pk).update(adoption_count=F("adoption_count") + 1)
    search.refresh([practice.pk])
