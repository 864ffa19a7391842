"""E-mails of followup, sent after the transaction that decided them has committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.followup.models import FollowUp


@task()
def send_checkin(followup_id: int) -> None:
    """Ask the volunteer "Hvordan går det?" with a link to the short check-in form."""
    followup = FollowUp.objects.select_related("user", "organisation").filter(pk=followup_id).first()
    if followup is None or followup.done_at is not None or not followup.user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "followup": followup,
            "url": settings.SITE_URL + reverse("followup:checkin", args=[followup.pk]),
        }
        subject = render_to_string("followup/email/checkin_subject.txt", context).strip()
        body = render_to_string("followup/email/checkin_body.txt", context)
    send_mail(subject, body, None, [followup.user.email])


@task()
def send_escalation(organisation_id: int, signup_ids: list[int]) -> None:
    """Tell the organisation's admins that interest has waited more than seven days for an answer."""
    from samspill.organisations.models import Membership, Organisation
    from samspill.volunteering.models import SignUp

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return
    recipients = sorted(
        set(Membership.objects.filter(organisation=organisation, role="admin").values_list("user__email", flat=True))
        - {""}
    )
    if not recipients:
        recipients = [organisation.email] if organisation.email else []
    if not recipients:
        return
    signups = list(
        SignUp.objects.filter(pk__in=signup_ids).select_related("opportunity", "user").order_by("created_at")
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organisation": organisation,
            "signups": signups,
            "url": settings.SITE_URL + reverse("followup:overview", args=[organisation.slug]),
        }
        subject = render_to_string("followup/email/escalation_subject.txt", context).strip()
        body = render_to_string("followup/email/escalation_body.txt", context)
    send_mail(subject, body, None, recipients)
