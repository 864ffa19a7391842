"""The review desk: editors list, filter, sort and read sent submissions; notes, tags, status, history."""

from datetime import timedelta
from itertools import count

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.tests.factories import UserFactory, enable_totp
from samspill.calls.models import Attachment, ReviewNote, Submission
from samspill.calls.tests.conftest import complete_data
from samspill.calls.tests.factories import CallFactory, SubmissionFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.places.models import Municipality
from samspill.taxonomy.models import Theme

pytestmark = pytest.mark.django_db

_numbers = count(1)


def sent(call, **kwargs):
    """A submission that has been sent in (the desk never shows drafts)."""
    themes = kwargs.pop("themes", None)
    kwargs.setdefault("status", Submission.Status.RECEIVED)
    kwargs.setdefault("submitted_at", timezone.now())
    kwargs.setdefault("reference", f"INN-2026-{next(_numbers):04d}")
    submission = SubmissionFactory(call=call, **kwargs)
    submission.themes.set(themes if themes is not None else [call.themes.first()])
    return submission


def desk_url(call, **params):
    url = reverse("calls:desk", args=[call.slug])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def titles(response):
    return [s.title for s in response.context["page_obj"]]


@pytest.fixture
def editor(owner):
    """The admin of the voluntary organisation behind ``call``: an editor of it."""
    return owner


def test_the_desk_lists_sent_submissions_and_never_drafts(client, editor, call):
    sent(call, title="Sendt inn")
    SubmissionFactory(call=call, title="Et utkast")  # status draft
    sent(CallFactory(), title="Til en annen runde")
    client.force_login(editor)
    response = client.get(desk_url(call))
    assert response.status_code == 200
    assert titles(response) == ["Sendt inn"]
    assert "Et utkast" not in response.content.decode()


def test_filters_narrow_the_list_and_theme_counts_follow_the_other_filters(client, editor, call, organisation):
    first, second = Theme.objects.all()[:2]
    bergen = Municipality.objects.get(number="4601")
    oslo = Municipality.objects.get(number="0301")
    centre = OrganisationFactory(kind=kind("frivilligsentral"))
    a = sent(call, title="A", themes=[first], municipality=bergen, consent_to_publish=True, organisation=organisation)
    b = sent(call, title="B", themes=[first, second], municipality=oslo, consent_to_publish=False, organisation=centre)
    c = sent(call, title="C", themes=[second], municipality=oslo, status="accepted", consent_to_publish=True)
    Attachment.objects.create(submission=b, file="attachments/x", original_name="x.pdf", content_type="pdf", size=1)
    client.force_login(editor)

    def shown(**params):
        return sorted(titles(client.get(desk_url(call, **params))))

    assert shown() == ["A", "B", "C"]
    assert shown(tema=first.slug) == ["A", "B"]
    assert shown(status="accepted") == ["C"]
    assert shown(kommune="0301") == ["B", "C"]
    assert shown(fylke=bergen.county.number) == ["A"]
    assert shown(organisasjonstype="frivilligsentral") == ["B"]
    assert shown(vedlegg="ja") == ["B"]
    assert shown(vedlegg="nei") == ["A", "C"]
    assert shown(samtykke="ja") == ["A", "C"]
    assert shown(samtykke="nei") == ["B"]
    assert shown(tema=second.slug, kommune="0301", samtykke="ja") == ["C"]
    # Bad values (an old link, a typo) drop only themselves.
    assert shown(tema="finnes-ikke", status="tull", kommune="9999", vedlegg="kanskje", sort="x") == ["A", "B", "C"]

    counts = {row["theme"].pk: row["count"] for row in client.get(desk_url(call)).context["theme_counts"]}
    assert counts[first.pk] == 2 and counts[second.pk] == 2
    response = client.get(desk_url(call, kommune="0301", tema=first.slug))
    counts = {row["theme"].pk: row["count"] for row in response.context["theme_counts"]}
    assert counts[first.pk] == 1 and counts[second.pk] == 2
    assert [row["selected"] for row in response.context["theme_counts"] if row["theme"].pk == first.pk] == [True]
    assert {a.pk, b.pk, c.pk} == set(Submission.objects.sent().values_list("pk", flat=True))


def test_sorting_both_ways_and_the_state_lives_in_the_url(client, editor, call):
    now = timezone.now()
    bergen = Municipality.objects.get(number="4601")
    alta = Municipality.objects.get(number="5601")
    sent(call, title="Bra", submitted_at=now - timedelta(days=2), municipality=bergen, status="accepted")
    sent(call, title="Aller først", submitted_at=now - timedelta(days=3), municipality=alta, status="under_review")
    sent(call, title="Ærlig talt", submitted_at=now - timedelta(days=1), status="received")
    client.force_login(editor)
    assert titles(client.get(desk_url(call))) == ["Ærlig talt", "Bra", "Aller først"]
    assert titles(client.get(desk_url(call, sort="innsendt"))) == ["Aller først", "Bra", "Ærlig talt"]
    assert titles(client.get(desk_url(call, sort="tittel")))[0] == "Aller først"
    assert titles(client.get(desk_url(call, sort="kommune")))[:2] == ["Aller først", "Bra"]
    assert titles(client.get(desk_url(call, sort="status"))) == ["Ærlig talt", "Aller først", "Bra"]
    assert titles(client.get(desk_url(call, sort="-status"))) == ["Bra", "Aller først", "Ærlig talt"]
    # Column headers link to the other direction and keep the filters.
    html = client.get(desk_url(call, sort="tittel", status="received")).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "?sort=-tittel&amp;status=received" in html


def test_the_list_is_paginated_and_uses_the_same_queries_for_3_and_30(
    client, editor, call, django_assert_max_num_queries
):
    bergen = Municipality.objects.get(number="4601")
    centre = OrganisationFactory(kind=kind("frivilligsentral"))
    for _ in range(3):
        s = sent(call, municipality=bergen, organisation=centre, themes=list(Theme.objects.all()[:2]))
        Attachment.objects.create(submission=s, file="attachments/x", original_name="x.pdf", content_type="a", size=1)
    client.force_login(editor)
    client.get(desk_url(call))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(desk_url(call))
    for _ in range(27):
        s = sent(call, municipality=bergen, organisation=centre, themes=list(Theme.objects.all()[:2]))
        Attachment.objects.create(submission=s, file="attachments/x", original_name="x.pdf", content_type="a", size=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(desk_url(call, sort="kommune"))
    assert len(response.context["page_obj"]) == 25
    assert response.context["page_obj"].paginator.count == 30
    page2 = client.get(desk_url(call, sort="kommune", page=2))
    assert len(page2.context["page_obj"]) == 5
    assert "sort=kommune&amp;page=1" in page2.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, call):
    submission = sent(call)
    for url in (desk_url(call), reverse("calls:review_submission", args=[submission.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_people_who_do_not_edit_the_call_get_no_desk_and_no_submissions(client, call, member, outsider):
    """A plain member of the organisation behind the call, and a coordinator elsewhere, see nothing."""
    submission = sent(call, title="Hemmelig innhold")
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(desk_url(call)).status_code == 403
        assert client.get(reverse("calls:review_submission", args=[submission.pk])).status_code == 404
        for action, data in (("review_status", {"status": "accepted"}), ("review_note", {"text": "Hei"})):
            assert client.post(reverse(f"calls:{action}", args=[submission.pk]), data).status_code == 404
        assert client.post(reverse("calls:review_tags", args=[submission.pk]), {"tags": "x"}).status_code == 404
    submission.refresh_from_db()
    assert submission.status == "received" and submission.tags == [] and not ReviewNote.objects.exists()


def test_an_unpublished_calls_desk_is_a_404_for_outsiders(client, outsider, organisation):
    draft_call = CallFactory(organisations=[organisation], is_published=False)
    client.force_login(outsider)
    assert client.get(desk_url(draft_call)).status_code == 404


def test_the_submitter_cannot_open_the_editors_page_of_their_own_submission(client, user, call):
    submission = sent(call, submitter=user)
    client.force_login(user)
    assert client.get(reverse("calls:review_submission", args=[submission.pk])).status_code == 403
    assert client.post(reverse("calls:review_note", args=[submission.pk]), {"text": "Hei"}).status_code == 403


def test_a_public_sector_editor_needs_two_step_login(client):
    municipality_org = OrganisationFactory(kind=kind("kommune"))
    municipal_call = CallFactory(organisations=[municipality_org])
    coordinator = MembershipFactory(organisation=municipality_org, role="coordinator").user
    client.force_login(coordinator)
    response = client.get(desk_url(municipal_call))
    assert response.status_code == 403
    assert reverse("mfa_activate_totp") in response.content.decode()
    enable_totp(coordinator)
    assert client.get(desk_url(municipal_call)).status_code == 200


def test_notes_are_for_editors_only_and_never_reach_the_submitter(
    client, editor, user, call, django_capture_on_commit_callbacks
):
    client.force_login(user)
    client.post(reverse("calls:submission_new", args=[call.slug]), complete_data(call))
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:submission_review", args=[submission.pk]))

    client.force_login(editor)
    page = reverse("calls:review_submission", args=[submission.pk])
    html = client.get(page).content.decode()
    assert "Vi rekrutterte 40 besøksvenner." in html
    response = client.post(reverse("calls:review_note", args=[submission.pk]), {"text": "Internt: sjekk tallene"})
    assert response.status_code == 302
    assert "Internt: sjekk tallene" in client.get(page).content.decode()
    assert ReviewNote.objects.get().history.get().history_user == editor
    # An empty note is refused at the field.
    response = client.post(reverse("calls:review_note", args=[submission.pk]), {"text": "  "})
    assert response.context["note_form"].errors["text"] == ["Skriv notatet før du lagrer."]

    client.force_login(user)
    for url in (
        reverse("calls:submission", args=[submission.pk]),
        reverse("calls:my_submissions"),
        call.get_absolute_url(),
    ):
        assert "sjekk tallene" not in client.get(url).content.decode()
    assert all("sjekk tallene" not in m.body for m in mail.outbox)


def test_tags_are_trimmed_deduplicated_and_length_limited(client, editor, call):
    submission = sent(call)
    client.force_login(editor)
    url = reverse("calls:review_tags", args=[submission.pk])
    client.post(url, {"tags": " besøksvenn , Ensomhet,, besøksvenn,  eldre   i  by  "})
    submission.refresh_from_db()
    assert submission.tags == ["besøksvenn", "Ensomhet", "eldre i by"]
    response = client.post(url, {"tags": "kort, " + "x" * 51})
    assert response.status_code == 200
    assert "høyst 50 tegn" in response.context["tags_form"].errors["tags"][0]
    submission.refresh_from_db()
    assert submission.tags == ["besøksvenn", "Ensomhet", "eldre i by"]
    client.post(url, {"tags": ""})
    submission.refresh_from_db()
    assert submission.tags == []


def test_status_changes_are_recorded_with_who_made_them(client, editor, call):
    submission = sent(call)
    client.force_login(editor)
    url = reverse("calls:review_status", args=[submission.pk])
    assert client.post(url, {"status": "under_review"}).status_code == 302
    assert client.post(url, {"status": "accepted"}).status_code == 302
    client.post(reverse("calls:review_tags", args=[submission.pk]), {"tags": "god praksis"})
    submission.refresh_from_db()
    assert submission.status == "accepted"
    latest = submission.history.order_by("-history_date").all()[:3]
    assert [h.history_user for h in latest] == [editor, editor, editor]
    html = client.get(reverse("calls:review_submission", args=[submission.pk])).content.decode()
    assert "Status endret fra «under vurdering» til «godtatt»" in html
    assert "god praksis" in html
    assert editor.name in html
    # Never back to draft, and nothing outside the sent statuses.
    response = client.post(url, {"status": "draft"})
    assert response.status_code == 200 and "status" in response.context["status_form"].errors
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_asking_for_more_information_needs_a_message(client, editor, call):
    submission = sent(call)
    client.force_login(editor)
    response = client.post(reverse("calls:review_status", args=[submission.pk]), {"status": "needs_info"})
    assert response.context["status_form"].errors["message"] == ["Skriv hva innsenderen må utdype eller rette opp."]
    submission.refresh_from_db()
    assert submission.status == "received"
    assert not mail.outbox


def test_needs_more_information_round_trip(client, editor, user, call, django_capture_on_commit_callbacks):
    # The submitter sends in.
    client.force_login(user)
    client.post(reverse("calls:submission_new", args=[call.slug]), complete_data(call))
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:submission_review", args=[submission.pk]))
    assert len(mail.outbox) == 1

    # The deadline passes; the editor asks for more.
    call.closes_at = timezone.now() - timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:review_status", args=[submission.pk]),
            {"status": "needs_info", "message": "Hvor mange besøk ble det i alt?"},
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "needs_info"
    question = mail.outbox[1]
    assert set(question.to) == {"kari@example.no", user.email}
    assert "Hvor mange besøk ble det i alt?" in question.body
    assert reverse("calls:submission_edit", args=[submission.pk]) in question.body
    assert submission.reference in question.subject

    # The submitter edits after the deadline and resends.
    client.force_login(user)
    edit = reverse("calls:submission_edit", args=[submission.pk])
    assert client.get(edit).status_code == 200
    data = complete_data(call, form_token=str(submission.form_token), what="Vi hadde 1200 besøk i alt.")
    assert client.post(edit, data)["Location"] == reverse("calls:submission_review", args=[submission.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:submission_review", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "received"
    assert submission.what == "Vi hadde 1200 besøk i alt."
    assert len(mail.outbox) == 3 and "Vi hadde 1200 besøk i alt." in mail.outbox[2].body

    # The editor sees the round trip in the log, and can accept.
    client.force_login(editor)
    html = client.get(reverse("calls:review_submission", args=[submission.pk])).content.decode()
    assert "«trenger mer informasjon» til «mottatt»" in html
    assert "Hvor mange besøk ble det i alt?" in html  # kept as an internal note for the other editors
    client.post(reverse("calls:review_status", args=[submission.pk]), {"status": "accepted"})
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_a_site_admin_reviews_any_call(client, call):
    submission = sent(call)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(desk_url(call)).status_code == 200
    assert client.get(reverse("calls:review_submission", args=[submission.pk])).status_code == 200
