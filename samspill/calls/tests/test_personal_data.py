import json

import pytest
from django.urls import reverse

from samspill.accounts.services import delete_account
from samspill.calls.models import Submission
from samspill.calls.tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db


def test_my_data_includes_my_submissions_and_no_one_elses(client, user, outsider, call):
    SubmissionFactory(call=call, submitter=user, title="Mitt eksempel", contact_email=user.email)
    SubmissionFactory(call=call, submitter=outsider, title="Noen andres eksempel")
    client.force_login(user)
    response = client.post(reverse("accounts:export_data"))
    data = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    titles = [s["title"] for s in data["apps"]["calls"]]
    assert titles == ["Mitt eksempel"]


def test_deleting_my_account_removes_drafts_and_anonymises_sent_submissions(user, call):
    draft = SubmissionFactory(call=call, submitter=user, title="Utkast")
    sent = SubmissionFactory(
        call=call,
        submitter=user,
        status="received",
        reference="INN-2026-0001",
        contact_name=user.name,
        contact_email=user.email,
        contact_phone="91234567",
    )
    sent.title = "Endret tittel"
    sent.save()  # a second history row with the contact details
    user_pk, email = user.pk, user.email
    delete_account(user=user)

    assert not Submission.objects.filter(pk=draft.pk).exists()
    sent.refresh_from_db()
    assert sent.submitter is None
    assert (sent.contact_name, sent.contact_email, sent.contact_phone) == ("", "", "")
    assert sent.title == "Endret tittel"  # the example itself stays for the strategy work
    assert not Submission.history.filter(contact_email=email).exists()
    assert not Submission.history.filter(submitter_id=user_pk).exists()
    assert not Submission.history.filter(id=draft.pk).exists()
