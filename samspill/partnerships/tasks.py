"""E-mails about partnerships, sent after the change is committed (django-tasks)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.organisations.models import Membership, Organisation, Role
from samspill.partnerships.models import Agreement, PartnershipMember


def recipients(organisation: Organisation, roles: tuple[str, ...] = (Role.ADMIN, Role.COORDINATOR)) -> list[str]:
    """The e-mail addresses of the organisation's people in ``roles``."""
    emails = Membership.objects.filter(organisation=organisation, role__in=roles).values_list("user__email", flat=True)
    return sorted({e for e in emails if e})


def _send(template: str, context: dict[str, Any], to: list[str]) -> None:
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"partnerships/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"partnerships/email/{template}_body.txt", context)
    send_mail(subject, body, None, to)


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _member(member_id: int) -> PartnershipMember | None:
    return (
        PartnershipMember.objects.select_related("partnership__lead", "organisation", "invited_by", "contact_person")
        .filter(pk=member_id)
        .first()
    )


@task()
def send_invitation(member_id: int) -> None:
    member = _member(member_id)
    if member is None or member.status != PartnershipMember.Status.INVITED:
        return
    context = {
        "member": member,
        "partnership": member.partnership,
        "url": _url("partnerships:members", member.partnership.slug),
    }
    _send("invitation", context, recipients(member.organisation, (Role.ADMIN,)))


@task()
def send_join_request(member_id: int) -> None:
    member = _member(member_id)
    if member is None or member.status != PartnershipMember.Status.REQUESTED:
        return
    context = {
        "member": member,
        "partnership": member.partnership,
        "url": _url("partnerships:members", member.partnership.slug),
    }
    _send("join_request", context, recipients(member.partnership.lead))


@task()
def send_decision(member_id: int) -> None:
    """After an invitation is answered (to the lead) or a request decided (to the asking organisation)."""
    member = _member(member_id)
    if member is None:
        return
    context = {
        "member": member,
        "partnership": member.partnership,
        "url": _url("partnerships:detail", member.partnership.slug),
    }
    if member.invited_by_id and member.status in (PartnershipMember.Status.ACTIVE, PartnershipMember.Status.DECLINED):
        _send("invitation_answered", context, recipients(member.partnership.lead))
    elif member.status in (PartnershipMember.Status.ACTIVE, PartnershipMember.Status.REJECTED):
        _send("request_decided", context, recipients(member.organisation))


def send_expiry_notice(agreement: Agreement) -> bool:
    partnership = agreement.partnership
    to = recipients(partnership.lead)
    context = {
        "agreement": agreement,
        "partnership": partnership,
        "url": _url("partnerships:agreement", partnership.slug, agreement.pk),
    }
    _send("agreement_expiring", context, to)
    return bool(to)
