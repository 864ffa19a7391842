from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.core.permissions import ELEVATED_ROLES
from samspill.measures.models import Indicator
from samspill.organisations.models import Membership


@task()
def send_reporting_reminder(indicator_id: int, period_start: str) -> None:
    """E-mail the coordinators and admins of the responsible organisation that a value is missing."""
    indicator = Indicator.objects.select_related("measure", "responsible").filter(pk=indicator_id).first()
    if indicator is None:
        return
    recipients = sorted(
        set(
            Membership.objects.filter(organisation=indicator.responsible, role__in=ELEVATED_ROLES)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "indicator": indicator,
            "measure": indicator.measure,
            "period": indicator.period_label(date.fromisoformat(period_start)),
            "url": settings.SITE_URL + reverse("measures:indicator", args=[indicator.measure_id, indicator.pk]),
        }
        subject = render_to_string("measures/email/reminder_subject.txt", context).strip()
        body = render_to_string("measures/email/reminder_body.txt", context)
    send_mail(subject, body, None, recipients)
