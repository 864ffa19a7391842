"""E-mails of volunteering, sent after commit by django-tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from samspill.volunteering.models import SignUp


def send_signup_mail(signup: SignUp, template: str) -> None:
    """Render ``volunteering/email/<template>_subject.txt`` and ``_body.txt`` and send them to the person."""
    recipient = signup.person_email
    if not recipient:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "signup": signup,
            "opportunity": signup.opportunity,
            "shift": signup.shift,
            "name": signup.person_name,
            "url": settings.SITE_URL + signup.opportunity.get_absolute_url(),
            "my_page_url": settings.SITE_URL + reverse("accounts:profile"),
        }
        subject = render_to_string(f"volunteering/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"volunteering/email/{template}_body.txt", context)
    send_mail(subject, body, None, [recipient])


def _load(signup_id: int) -> SignUp | None:
    return SignUp.objects.select_related("opportunity__organisation", "shift", "user").filter(pk=signup_id).first()


@task()
def send_promoted(signup_id: int) -> None:
    """Tell a person that they moved up from the wait list and now have a place."""
    signup = _load(signup_id)
    if signup is not None and signup.status == SignUp.Status.CONFIRMED:
        send_signup_mail(signup, "promoted")


@task()
def send_interest_answer(signup_id: int) -> None:
    """Tell a person that the organisation confirmed or declined their interest."""
    signup = _load(signup_id)
    if signup is not None and signup.status in (SignUp.Status.CONFIRMED, SignUp.Status.DECLINED):
        send_signup_mail(signup, "interest_answer")
