"""Writes and the personal-data export for a person's own account."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts import devices
from samspill.accounts.models import LoginSession, Profile, User
from samspill.core.personal_data import export_from_apps, forget_in_apps
from samspill.organisations.models import ApiToken, Invitation, Membership, Organisation, Role
from samspill.places.models import PostalCode
from samspill.taxonomy.models import FocusArea


class LastAdminError(ValidationError):
    """The person is the only administrator of an organisation and must hand over first."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self.organisations = organisations
        names = ", ".join(o.name for o in organisations)
        super().__init__(
            _(
                "Du er eneste administrator i %(names)s. Gi en annen person administratorrollen "
                "før du sletter kontoen din."
            ),
            code="last_admin",
            params={"names": names},
        )


# --- Reads -------------------------------------------------------------------


def email_addresses(user: User, *, verified_only: bool = False) -> list[str]:
    """The person's addresses, lower-cased; the login address is always included."""
    rows = EmailAddress.objects.filter(user=user)
    if verified_only:
        rows = rows.filter(verified=True)
    found = {e.lower() for e in rows.values_list("email", flat=True)}
    if not verified_only:
        found.add(user.email.lower())
    return sorted(found)


def _email_q(emails: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(email__iexact=email)
    return q


def invitations_to(user: User, *, verified_only: bool = False) -> QuerySet[Invitation]:
    return Invitation.objects.filter(_email_q(email_addresses(user, verified_only=verified_only)))


def open_invitations_for(user: User) -> QuerySet[Invitation]:
    """Invitations still waiting for an answer, sent to one of the person's verified addresses."""
    cutoff = timezone.now() - datetime.timedelta(days=Invitation.VALID_DAYS)
    return (
        invitations_to(user, verified_only=True)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=cutoff)
        .select_related("organisation")
        .order_by("-created_at")
    )


def admin_of_only(user: User) -> list[Organisation]:
    """Organisations where ``user`` is the only administrator."""
    organisations = Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)
    return [
        org
        for org in organisations
        if not Membership.objects.filter(organisation=org, role=Role.ADMIN).exclude(user=user).exists()
    ]


# --- Profile -----------------------------------------------------------------


def get_or_create_profile(*, user: User) -> Profile:
    """Profiles are made on first need, not when the user is created."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(
    *,
    user: User,
    name: str,
    phone: str,
    postal_code: PostalCode | None,
    languages: list[str],
    interests: Iterable[FocusArea],
) -> Profile:
    user.name = name
    user.save(update_fields=["name"])
    profile = get_or_create_profile(user=user)
    profile.phone = phone
    profile.postal_code = postal_code
    profile.languages = [code for code in Profile.Language.values if code in set(languages)]
    profile.save(update_fields=["phone", "postal_code", "languages", "updated_at"])
    profile.interests.set(interests)
    return profile


# --- Export ("Last ned mine data") ---------------------------------------------


def _organisation_ref(org: Organisation | None) -> dict[str, Any] | None:
    return None if org is None else {"id": org.pk, "name": org.name, "slug": org.slug}


def export_personal_data(*, user: User) -> dict[str, Any]:
    """Everything Samspill stores about ``user``, and nothing about anyone else.

    Secrets are left out on purpose: the password hash, MFA secrets and recovery codes,
    invitation and API-key tokens. Where a row also names another person (an invitation
    the user sent, a change the user made to someone else's membership), that person is
    left out.
    """
    profile = Profile.objects.filter(user=user).select_related("postal_code").first()
    organisations: dict[int, Organisation] = {}

    def org(pk: int | None) -> dict[str, Any] | None:
        if pk is None:
            return None
        if pk not in organisations:
            found = Organisation.objects.filter(pk=pk).first()
            if found is None:
                return {"id": pk}
            organisations[pk] = found
        return _organisation_ref(organisations[pk])

    authenticators = Authenticator.objects.filter(user=user)
    return {
        "format": "samspill-personal-data-v1",
        # Data held by later apps, e.g. "calls": the person's submissions and drafts.
        "apps": export_from_apps(user),
        "exported_at": timezone.now(),
        "user": {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "profile": None
        if profile is None
        else {
            "phone": profile.phone,
            "postal_code": None
            if profile.postal_code is None
            else {"code": profile.postal_code.code, "place_name": profile.postal_code.place_name},
            "languages": profile.languages,
            "interests": [{"slug": f.slug, "name": f.name} for f in profile.interests.all()],
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
        },
        "memberships": [
            {
                "organisation": _organisation_ref(m.organisation),
                "role": m.role,
                "created_at": m.created_at,
                "updated_at": m.updated_at,
            }
            for m in Membership.objects.filter(user=user).select_related("organisation").order_by("created_at")
        ],
        "invitations_received": [
            {
                "organisation": org(i.organisation_id),
                "email": i.email,
                "role": i.role,
                "created_at": i.created_at,
                "accepted_at": i.accepted_at,
                "revoked_at": i.revoked_at,
            }
            for i in invitations_to(user).order_by("created_at")
        ],
        # The invitee's address is someone else's personal data, so it is left out.
        "invitations_sent": [
            {
                "organisation": org(i.organisation_id),
                "role": i.role,
                "created_at": i.created_at,
                "accepted_at": i.accepted_at,
                "revoked_at": i.revoked_at,
            }
            for i in Invitation.objects.filter(invited_by=user).order_by("created_at")
        ],
        "api_tokens_created": [
            {
                "organisation": org(t.organisation_id),
                "name": t.name,
                "key_hint": t.key_hint,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(created_by=user).order_by("created_at")
        ],
        # Where the person is logged in: browser, system and times; never the session key.
        "devices": devices.export(user),
        "two_step_login": {
            "totp": authenticators.filter(type=Authenticator.Type.TOTP).exists(),
            "recovery_codes": authenticators.filter(type=Authenticator.Type.RECOVERY_CODES).exists(),
            "authenticators": [
                {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
                for a in authenticators.order_by("created_at")
            ],
        },
        "history": {
            # Changes to the person's own memberships, whoever made them.
            "memberships": [
                {
                    "organisation": org(h.organisation_id),
                    "role": h.role,
                    "change": h.history_type,
                    "changed_at": h.history_date,
                    "changed_by_you": h.history_user_id == user.pk,
                }
                for h in Membership.history.filter(user_id=user.pk).order_by("history_date")
            ],
            # Changes the person made; other people's memberships are not named.
            "changes_you_made": [
                *(
                    {
                        "what": "organisation",
                        "organisation": org(h.id),
                        "change": h.history_type,
                        "changed_at": h.history_date,
                    }
                    for h in Organisation.history.filter(history_user_id=user.pk).order_by("history_date")
                ),
                *(
                    {
                        "what": "membership",
                        "organisation": org(h.organisation_id),
                        "role": h.role,
                        "own_membership": h.user_id == user.pk,
                        "change": h.history_type,
                        "changed_at": h.history_date,
                    }
                    for h in Membership.history.filter(history_user_id=user.pk).order_by("history_date")
                ),
                *(
                    {
                        "what": "api_token",
                        "organisation": org(h.organisation_id),
                        "name": h.name,
                        "key_hint": h.key_hint,
                        "change": h.history_type,
                        "changed_at": h.history_date,
                    }
                    for h in ApiToken.history.filter(history_user_id=user.pk).order_by("history_date")
                ),
            ],
        },
    }


# --- Deletion ("Slett kontoen min") --------------------------------------------


def delete_account(*, user: User) -> None:
    """Delete ``user`` and everything that names them; keep the anonymised audit trail.

    Refuses with LastAdminError while the person is the only administrator of an
    organisation, so that no organisation is left without one. The caller logs the
    person out afterwards.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    with transaction.atomic():
        sole = admin_of_only(user)
        if sole:
            raise LastAdminError(sole)

        emails = email_addresses(user)
        # Memberships first, while the user row exists: django-simple-history records
        # their removal, and those rows are anonymised just below with the older ones.
        for membership in Membership.objects.filter(user=user):
            membership.delete()
        Membership.history.filter(user_id=user.pk).update(user_id=None)
        ApiToken.history.filter(created_by_id=user.pk).update(created_by_id=None)

        # Invitations addressed to the person name them by e-mail; those they sent stay,
        # with invited_by set to NULL by the foreign key.
        Invitation.objects.filter(_email_q(emails)).delete()

        # django-axes keeps login attempts by the address typed in the login form.
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(_username_q(emails)).delete()

        # Later apps (calls, …) remove or anonymise what they hold about the person.
        forget_in_apps(user)

        # Every device is logged out once the deletion is committed (the rows go with the user).
        session_keys = [devices.unseal(s.sealed_key) for s in LoginSession.objects.filter(user=user)]
        transaction.on_commit(lambda: devices.delete_from_store(session_keys))

        # Cascades to the profile, e-mail addresses and confirmations, MFA authenticators;
        # history_user, invited_by and created_by become NULL (on_delete=SET_NULL).
        user.delete()


def _username_q(emails: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(username__iexact=email)
    return q
