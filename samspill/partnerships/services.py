"""What changes a partnership: every write the views and the demo make goes through here.

Rights are checked by the views (samspill.core.permissions); these functions keep the rules
of the records themselves: who becomes a party, when an agreement is signed, that a signed
agreement never changes.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.core.text import norwegian_slugify
from samspill.organisations.models import Organisation
from samspill.partnerships.models import (
    Agreement,
    Contribution,
    GuidelinesVersion,
    Partnership,
    PartnershipMember,
    PartnershipSection,
    Signature,
    Topic,
)

RESERVED_SLUGS = {"ny"}  # /partnerskap/ny/ is the create page


def unique_slug(name: str) -> str:
    base = norwegian_slugify(name)[:200] or "partnerskap"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Partnership.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def role_for(organisation: Organisation) -> str:
    """The natural member role of an organisation, from its kind."""
    kind = organisation.kind.slug if organisation.kind_id else ""
    return {
        "kommune": PartnershipMember.Role.MUNICIPALITY,
        "fylkeskommune": PartnershipMember.Role.COUNTY,
        "frivillig-organisasjon": PartnershipMember.Role.VOLUNTARY,
        "frivilligsentral": PartnershipMember.Role.VOLUNTARY,
    }.get(kind, PartnershipMember.Role.OTHER)


@transaction.atomic
def create_partnership(*, lead: Organisation, user: Any, **fields: Any) -> Partnership:
    m2m = {
        name: fields.pop(name)
        for name in ("counties", "municipalities", "focus_areas", "target_groups")
        if name in fields
    }
    partnership = Partnership.objects.create(
        slug=fields.pop("slug", None) or unique_slug(fields["name"]), lead=lead, created_by=user, **fields
    )
    for name, values in m2m.items():
        getattr(partnership, name).set(values)
    PartnershipMember.objects.create(
        partnership=partnership,
        organisation=lead,
        role=PartnershipMember.Role.LEAD,
        status=PartnershipMember.Status.ACTIVE,
        joined_on=partnership.starts_on or timezone.localdate(),
        contact_person=user if getattr(user, "is_authenticated", False) else None,
    )
    return partnership


def sections_by_topic(partnership: Partnership) -> dict[int, PartnershipSection]:
    return {s.topic_id: s for s in partnership.sections.all()}


@transaction.atomic
def save_sections(partnership: Partnership, texts: dict[int, tuple[str, str | None]]) -> None:
    """``texts``: topic id → (text, progress or None). Creates or updates the section rows."""
    existing = sections_by_topic(partnership)
    for topic_id, (text, progress) in texts.items():
        section = existing.get(topic_id) or PartnershipSection(partnership=partnership, topic_id=topic_id)
        changed = section.pk is None and (text or progress not in (None, PartnershipSection.Progress.OPEN))
        if section.text != text:
            section.text, changed = text, True
        if progress and section.progress != progress:
            section.progress, changed = progress, True
        if changed:
            section.save()


def active_topics(kind: str) -> list[Topic]:
    return list(Topic.objects.filter(kind=kind, is_active=True))


# --- Members -----------------------------------------------------------------


def _notify(function: Any, *args: Any) -> None:
    transaction.on_commit(lambda: function.enqueue(*args))


@transaction.atomic
def invite(
    partnership: Partnership, organisation: Organisation, *, role: str, by: Any, message: str = ""
) -> PartnershipMember:
    from samspill.partnerships.tasks import send_invitation

    member = (
        PartnershipMember.objects.select_for_update().filter(partnership=partnership, organisation=organisation).first()
    )
    if member and member.status in (PartnershipMember.Status.ACTIVE, PartnershipMember.Status.INVITED):
        raise ValidationError(_("%(name)s er allerede med eller invitert.") % {"name": organisation.name})
    member = member or PartnershipMember(partnership=partnership, organisation=organisation)
    member.role, member.status, member.message = role, PartnershipMember.Status.INVITED, message
    member.invited_by, member.decided_by, member.decided_at, member.left_on = by, None, None, None
    member.save()
    _notify(send_invitation, member.pk)
    return member


@transaction.atomic
def answer_invitation(member: PartnershipMember, *, accept: bool, by: Any) -> PartnershipMember:
    from samspill.partnerships.tasks import send_decision

    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    if member.status != PartnershipMember.Status.INVITED:
        raise ValidationError(_("Invitasjonen er allerede besvart."))
    member.decided_by, member.decided_at = by, timezone.now()
    if accept:
        member.status, member.joined_on = PartnershipMember.Status.ACTIVE, timezone.localdate()
        member.contact_person = member.contact_person or by
    else:
        member.status = PartnershipMember.Status.DECLINED
    member.save()
    _notify(send_decision, member.pk)
    return member


@transaction.atomic
def request_to_join(
    partnership: Partnership, organisation: Organisation, *, by: Any, message: str = ""
) -> PartnershipMember:
    from samspill.partnerships.tasks import send_join_request

    member = (
        PartnershipMember.objects.select_for_update().filter(partnership=partnership, organisation=organisation).first()
    )
    if member and member.status in (
        PartnershipMember.Status.ACTIVE,
        PartnershipMember.Status.INVITED,
        PartnershipMember.Status.REQUESTED,
    ):
        raise ValidationError(
            _("%(name)s er allerede med, invitert eller har bedt om å bli med.") % {"name": organisation.name}
        )
    member = member or PartnershipMember(partnership=partnership, organisation=organisation)
    member.role, member.status, member.message = role_for(organisation), PartnershipMember.Status.REQUESTED, message
    member.contact_person, member.decided_by, member.decided_at, member.left_on = by, None, None, None
    member.save()
    _notify(send_join_request, member.pk)
    return member


@transaction.atomic
def decide_request(member: PartnershipMember, *, approve: bool, by: Any) -> PartnershipMember:
    from samspill.partnerships.tasks import send_decision

    member = PartnershipMember.objects.select_for_update().get(pk=member.pk)
    if member.status != PartnershipMember.Status.REQUESTED:
        raise ValidationError(_("Forespørselen er allerede avgjort."))
    member.decided_by, member.decided_at = by, timezone.now()
    if approve:
        member.status, member.joined_on = PartnershipMember.Status.ACTIVE, timezone.localdate()
    else:
        member.status = PartnershipMember.Status.REJECTED
    member.save()
    _notify(send_decision, member.pk)
    return member


# --- Guidelines ----------------------------------------------------------------


def current_guidelines(partnership: Partnership) -> GuidelinesVersion | None:
    return partnership.guidelines.filter(status=GuidelinesVersion.Status.ADOPTED).order_by("-number").first()


@transaction.atomic
def propose_guidelines(partnership: Partnership, *, text: str, change_note: str, by: Any) -> GuidelinesVersion:
    Partnership.objects.select_for_update().get(pk=partnership.pk)
    number = (partnership.guidelines.aggregate(n=Max("number"))["n"] or 0) + 1
    return GuidelinesVersion.objects.create(
        partnership=partnership, number=number, text=text, change_note=change_note, proposed_by=by
    )


@transaction.atomic
def adopt_guidelines(version: GuidelinesVersion, *, adopted_on: date) -> GuidelinesVersion:
    version = GuidelinesVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != GuidelinesVersion.Status.PROPOSED:
        raise ValidationError(_("Bare en foreslått versjon kan vedtas."))
    for older in version.partnership.guidelines.filter(status=GuidelinesVersion.Status.ADOPTED):
        older.status = GuidelinesVersion.Status.SUPERSEDED
        older.save()
    version.status, version.adopted_on = GuidelinesVersion.Status.ADOPTED, adopted_on
    version.save()
    return version


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "same"
    text: str


def guidelines_diff(old: str, new: str) -> list[DiffLine]:
    """What changed between two versions, line by line (unchanged lines kept for context)."""
    lines: list[DiffLine] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "+ ":
            lines.append(DiffLine("added", text))
        elif code == "- ":
            lines.append(DiffLine("removed", text))
        elif code == "  ":
            lines.append(DiffLine("same", text))
    return lines


# --- Agreements ----------------------------------------------------------------


def agreement_parties(agreement: Agreement) -> list[Organisation]:
    """The organisations that sign: fixed once proposed; for a draft, who would sign now."""
    if agreement.status != Agreement.Status.DRAFT:
        return list(agreement.parties.all())
    partnership = agreement.partnership
    if agreement.member_id:
        ids = {partnership.lead_id, agreement.member.organisation_id}  # type: ignore[union-attr]
    else:
        ids = {partnership.lead_id} | set(
            partnership.members.filter(status="active").values_list("organisation_id", flat=True)
        )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name_sort"))


def _locked_draft(agreement: Agreement) -> Agreement:
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != Agreement.Status.DRAFT:
        raise ValidationError(_("En avtale som er sendt til signering eller signert kan ikke endres."))
    return locked


@transaction.atomic
def add_contribution(agreement: Agreement, **fields: Any) -> Contribution:
    _locked_draft(agreement)
    return Contribution.objects.create(agreement=agreement, **fields)


@transaction.atomic
def remove_contribution(contribution: Contribution) -> None:
    _locked_draft(contribution.agreement)
    contribution.delete()


@transaction.atomic
def update_agreement(agreement: Agreement, **fields: Any) -> Agreement:
    locked = _locked_draft(agreement)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
def propose_agreement(agreement: Agreement) -> Agreement:
    """Send a draft for signing: the parties are fixed now."""
    locked = _locked_draft(agreement)
    parties = agreement_parties(locked)
    if len(parties) < 2:
        raise ValidationError(_("Avtalen må ha minst to parter. Inviter medlemmer først."))
    locked.parties.set(parties)
    locked.status, locked.proposed_at = Agreement.Status.PROPOSED, timezone.now()
    locked.save()
    return locked


@transaction.atomic
def sign_agreement(agreement: Agreement, *, organisation: Organisation, by: Any, signer_role: str) -> Agreement:
    """One party signs. When every party has signed, the agreement is signed and locked."""
    from samspill.core.permissions import is_org_admin

    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != Agreement.Status.PROPOSED:
        raise ValidationError(_("Avtalen er ikke til signering."))
    if not locked.parties.filter(pk=organisation.pk).exists():
        raise ValidationError(_("%(name)s er ikke part i avtalen.") % {"name": organisation.name})
    if not is_org_admin(by, organisation):
        raise ValidationError(_("Bare en administrator i %(name)s kan signere for den.") % {"name": organisation.name})
    if locked.signatures.filter(organisation=organisation).exists():
        raise ValidationError(_("%(name)s har allerede signert.") % {"name": organisation.name})
    now = timezone.now()
    Signature.objects.create(
        agreement=locked, organisation=organisation, signed_by=by, signer_role=signer_role, signed_at=now
    )
    signed = set(locked.signatures.values_list("organisation_id", flat=True))
    if signed >= set(locked.parties.values_list("pk", flat=True)):
        locked.status, locked.signed_at = Agreement.Status.SIGNED, now
        if locked.replaces_id:
            Agreement.objects.filter(pk=locked.replaces_id, status=Agreement.Status.SIGNED).update(
                status=Agreement.Status.REPLACED
            )
        locked.save()
    return locked


@transaction.atomic
def withdraw_agreement(agreement: Agreement) -> Agreement:
    """Take an agreement out for signing back to draft; signatures so far are removed."""
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if locked.status != Agreement.Status.PROPOSED:
        raise ValidationError(_("Bare en avtale til signering kan trekkes tilbake."))
    locked.signatures.all().delete()
    locked.parties.clear()
    locked.status, locked.proposed_at = Agreement.Status.DRAFT, None
    locked.save()
    return locked


@transaction.atomic
def new_version(agreement: Agreement, *, by: Any) -> Agreement:
    """A signed agreement is never edited: a copy becomes a new draft that replaces it once signed."""
    original = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if original.status not in (Agreement.Status.SIGNED, Agreement.Status.EXPIRED):
        raise ValidationError(_("Bare en signert avtale kan erstattes av en ny versjon."))
    if Agreement.objects.filter(replaces=original).exists():
        raise ValidationError(_("Det finnes allerede en ny versjon av denne avtalen."))
    copy = Agreement.objects.create(
        partnership=original.partnership,
        member=original.member,
        title=original.title,
        text=original.text,
        starts_on=original.starts_on,
        ends_on=original.ends_on,
        version=original.version + 1,
        replaces=original,
        created_by=by,
    )
    Contribution.objects.bulk_create(
        Contribution(
            agreement=copy,
            organisation_id=c.organisation_id,
            year=c.year,
            kind=c.kind,
            description=c.description,
            amount=c.amount,
            unit=c.unit,
        )
        for c in original.contributions.all()
    )
    return copy


@dataclass
class SummaryRow:
    year: int
    kind: str
    label: str
    parties: list[tuple[str, Decimal | None, str, list[str]]]  # (organisation, amount, unit, descriptions)
    totals: list[tuple[Decimal, str]]  # one total per unit


def contribution_summary(partnership: Partnership, *, include_proposed: bool = True) -> list[SummaryRow]:
    """Contributions of all parties per year and kind, over signed (and proposed) agreements.

    Amounts add up per unit (NOK with NOK, hours with hours); contributions without an amount
    are listed by their description.
    """
    statuses = [Agreement.Status.SIGNED] + ([Agreement.Status.PROPOSED] if include_proposed else [])
    rows = (
        Contribution.objects.filter(agreement__partnership=partnership, agreement__status__in=statuses)
        .select_related("organisation")
        .order_by("year", "kind", "organisation__name_sort", "pk")
    )
    grouped: dict[tuple[int, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    for c in rows:
        per_org = grouped[(c.year, c.kind)].setdefault(
            f"{c.organisation.name}\x00{c.unit}",
            {"name": c.organisation.name, "amount": None, "unit": c.unit, "texts": []},
        )
        if c.amount is not None:
            per_org["amount"] = (per_org["amount"] or Decimal(0)) + c.amount
        per_org["texts"].append(c.description)
    labels = dict(Contribution.Kind.choices)
    order = [k for k, _ in Contribution.Kind.choices]
    result = []
    for (year, kind), per_org in sorted(grouped.items(), key=lambda item: (item[0][0], order.index(item[0][1]))):
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for entry in per_org.values():
            if entry["amount"] is not None:
                totals[entry["unit"]] += entry["amount"]
        result.append(
            SummaryRow(
                year=year,
                kind=kind,
                label=str(labels[kind]),
                parties=[(e["name"], e["amount"], e["unit"], e["texts"]) for e in per_org.values()],
                totals=sorted((amount, unit) for unit, amount in totals.items()),
            )
        )
    return result


def contribution_totals(partnership: Partnership) -> list[dict[str, Any]]:
    """Signed contributions added up per year, kind and unit (for the API)."""
    totals: dict[tuple[int, str, str], Decimal] = defaultdict(Decimal)
    for row in contribution_summary(partnership, include_proposed=False):
        for amount, unit in row.totals:
            totals[(row.year, row.kind, unit)] += amount
    return [{"year": y, "kind": k, "unit": u, "amount": a} for (y, k, u), a in sorted(totals.items())]


def expire_agreements(today: date) -> int:
    """Signed agreements whose period has ended become expired."""
    count = 0
    for agreement in Agreement.objects.filter(status=Agreement.Status.SIGNED, ends_on__lt=today):
        agreement.status = Agreement.Status.EXPIRED
        agreement.save()
        count += 1
    return count
