import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samspill.calls.anonymous import hash_access_token
from samspill.calls.models import Submission
from samspill.calls.tests.conftest import complete_data
from samspill.calls.tests.factories import CallFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_call(organisation):
    return CallFactory(organisations=[organisation], audience="anyone")


def start_url(call):
    return reverse("calls:anonymous_start", args=[call.slug])


def start(client, call, email="ola@example.no", website="", **meta):
    return client.post(start_url(call), {"name": "Ola Nordmann", "email": email, "website": website}, **meta)


def link_from_mail(message):
    return re.search(r"https?://\S+/uten-konto/\S+/", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def test_start_mail_fill_in_review_send_and_receipt(client, open_call, django_capture_on_commit_callbacks):
    call_page = client.get(open_call.get_absolute_url()).content.decode()
    assert start_url(open_call) in call_page

    assert client.get(start_url(open_call)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, open_call)
    assert response.status_code == 302
    assert "Sjekk e-posten din" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ola@example.no"]
    link = "/" + link_from_mail(mail.outbox[0])
    submission = Submission.objects.get()
    assert submission.submitter is None and submission.status == "draft"
    assert submission.contact_email == "ola@example.no"
    assert submission.access_token_hash and submission.access_token_hash not in mail.outbox[0].body

    # Following the link opens the form, with the proved address filled in.
    page = client.get(link)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "ola@example.no" in page.content.decode()

    # Save a draft, come back, then go on to review; a changed e-mail address is ignored.
    draft = complete_data(open_call, action="save", title="Halvferdig", what="", consent="")
    assert client.post(link, draft)["Location"] == link
    assert "Halvferdig" in client.get(link).content.decode()
    response = client.post(link, complete_data(open_call, contact_email="noen@annen.no"))
    review = reverse("calls:anonymous_review", args=[open_call.slug, link.rstrip("/").rsplit("/", 1)[1]])
    assert response["Location"] == review
    submission.refresh_from_db()
    assert submission.contact_email == "ola@example.no"
    assert "Besøksvenner i Bergen" in client.get(review).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review)
    assert response["Location"] == link + "?sendt=1"
    submission.refresh_from_db()
    assert submission.status == "received" and submission.reference
    assert submission.reference in client.get(response["Location"]).content.decode()
    receipt = mail.outbox[-1]
    assert receipt.to == ["ola@example.no"]
    assert submission.reference in receipt.subject
    # Sent: the link now shows what was sent, and the form is gone.
    page = client.get(link).content.decode()
    assert submission.reference in page and 'name="action"' not in page


def test_asking_again_mails_a_new_link_to_the_same_draft(client, open_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, open_call)
        start(client, open_call, email="OLA@example.no")
    assert Submission.objects.count() == 1
    first, second = ("/" + link_from_mail(m) for m in mail.outbox)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_the_honeypot_stops_bots(client, open_call):
    response = start(client, open_call, website="http://spam.example")
    assert response.status_code == 200
    assert "spamfilteret" in response.content.decode()
    assert not Submission.objects.exists()
    assert not mail.outbox


def test_bad_addresses_are_refused_at_the_field(client, open_call):
    response = start(client, open_call, email="ikke-en-adresse")
    assert "gyldig e-postadresse" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_sixth_start_in_an_hour_from_one_address_is_429(client, open_call):
    for n in range(5):
        assert start(client, open_call, email=f"person{n}@example.no").status_code == 302
    response = start(client, open_call, email="person6@example.no")
    assert response.status_code == 429
    assert "For mange forsøk" in response.content.decode()
    assert Submission.objects.count() == 5
    # Another address is not affected.
    assert start(client, open_call, email="x@example.no", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_wrong_or_expired_links_are_404(client, open_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, open_call)
    link = "/" + link_from_mail(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("calls:anonymous_edit", args=[open_call.slug, "feil-lenke"])).status_code == 404
    assert client.get(reverse("calls:anonymous_review", args=[open_call.slug, "feil-lenke"])).status_code == 404
    other = CallFactory(audience="anyone")
    assert client.get(reverse("calls:anonymous_edit", args=[other.slug, token])).status_code == 404
    # Archived: the link has expired.
    open_call.archived_at = timezone.now()
    open_call.save(update_fields=["archived_at"])
    assert client.get(link).status_code == 404


def test_after_the_deadline_the_draft_cannot_be_sent_and_typed_text_is_kept(
    client, open_call, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(client, open_call)
    link = "/" + link_from_mail(mail.outbox[0])
    open_call.closes_at = timezone.now() - timedelta(seconds=1)
    open_call.opens_at = timezone.now() - timedelta(days=2)
    open_call.save(update_fields=["closes_at", "opens_at"])
    assert client.get(link).status_code == 409
    response = client.post(link, complete_data(open_call, what="Det jeg skrev"))
    assert response.status_code == 409
    assert "Det jeg skrev" in response.content.decode()
    assert Submission.objects.get().status == "draft"


def test_only_calls_open_to_anyone_have_the_start_page(client, call):
    assert call.audience == "logged_in"
    assert client.get(start_url(call)).status_code == 404
    assert start(client, call).status_code == 404
    assert not Submission.objects.exists()


def test_logged_in_people_use_their_account(client, user, open_call):
    client.force_login(user)
    response = client.get(start_url(open_call))
    assert response["Location"] == reverse("calls:submission_new", args=[open_call.slug])
    assert client.get(reverse("calls:submission_new", args=[open_call.slug])).status_code == 200
    assert "uten konto" not in client.get(open_call.get_absolute_url()).content.decode()


def test_an_anonymous_draft_is_hidden_from_everyone_without_the_link(client, outsider, owner, open_call):
    submission = SubmissionFactory(call=open_call, access_token_hash=hash_access_token("hemmelig"))
    for person in (outsider, owner):
        client.force_login(person)
        for name in ("calls:submission", "calls:submission_edit", "calls:submission_review"):
            assert client.get(reverse(name, args=[submission.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("calls:anonymous_edit", args=[open_call.slug, "hemmelig"])).status_code == 200
