"""Writes on organisations and their people. Each function owns its transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounts.models import User
from samspill.core.text import norwegian_slugify
from samspill.organisations.forms import OrganisationForm
from samspill.organisations.models import Invitation, Membership, Organisation, Role
from samspill.organisations.tasks import send_invitation_email


class LastAdmin(ValidationError):
    """An organisation must keep at least one administrator."""

    def __init__(self) -> None:
        super().__init__(
            _("Organisasjonen må ha minst én administrator. Gi en annen person administratorrollen først."),
            code="last_admin",
        )


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = norwegian_slugify(name)[:200] or "organisasjon"
    slug, n = base, 2
    taken = Organisation.objects.exclude(pk=exclude_pk) if exclude_pk else Organisation.objects.all()
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(*, form: OrganisationForm, created_by: User) -> Organisation:
    """Register an organisation; the person registering it becomes its first administrator."""
    organisation = form.save(commit=False)
    organisation.slug = unique_slug(organisation.name)
    organisation.refresh_search_fields()
    organisation.save()
    form.save_m2m()
    Membership.objects.create(user=created_by, organisation=organisation, role=Role.ADMIN)
    return organisation


@transaction.atomic
def update_organisation(*, form: OrganisationForm) -> Organisation:
    organisation = form.save(commit=False)
    organisation.refresh_search_fields()
    organisation.save()
    form.save_m2m()
    return organisation


def _admin_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Role.ADMIN).count()


@transaction.atomic
def invite_member(*, organisation: Organisation, email: str, role: str, invited_by: User) -> Invitation:
    """Invite ``email`` to ``organisation``; a second invitation to the same address replaces the first."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("Denne personen er allerede medlem av organisasjonen.")})
    Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=invited_by)
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Membership:
    """The invited person joins. The invitation must be open and sent to one of their verified addresses."""
    from allauth.account.models import EmailAddress

    if not invitation.is_open:
        raise ValidationError(_("Invitasjonen er ikke lenger gyldig. Be organisasjonen om en ny."), code="closed")
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        message = _(
            "Invitasjonen ble sendt til %(email)s. Logg inn med den e-postadressen, "
            "eller legg den til og bekreft den på kontoen din."
        )
        raise ValidationError(message % {"email": invitation.email}, code="wrong_email")
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and membership.role != invitation.role:
        membership.role = invitation.role
        membership.save(update_fields=["role", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return membership


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    # Two admins must not demote each other at once. select_for_update locks on PostgreSQL;
    # on SQLite the IMMEDIATE transaction mode already serialises writers.
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Role.ADMIN and role != Role.ADMIN and _admin_count(locked.organisation) <= 1:
        raise LastAdmin
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    return locked


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == Role.ADMIN and _admin_count(locked.organisation) <= 1:
        raise LastAdmin
    locked.delete()
