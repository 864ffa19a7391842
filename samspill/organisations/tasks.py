from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.organisations.models import Invitation


@task()
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return  # revoked or accepted before the worker got to it
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("organisations:accept_invitation", args=[invitation.token]),
        }
        subject = render_to_string("organisations/email/invitation_subject.txt", context).strip()
        body = render_to_string("organisations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
