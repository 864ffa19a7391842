"""Editors create, edit, extend and archive calls; nobody else can."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samspill.accounts.tests.factories import enable_totp
from samspill.calls.models import Call
from samspill.calls.tests.factories import CallFactory
from samspill.organisations.tests.factories import MembershipFactory, OrganisationFactory, kind
from samspill.taxonomy.models import Theme

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
CREATE = reverse("calls:call_create")


@pytest.fixture
def ministry(db):
    return OrganisationFactory(name="Helse- og omsorgsdepartementet", kind=kind("nasjonal-aktor"))


@pytest.fixture
def national_editor(ministry):
    """A coordinator in a national body, with two-step login on."""
    user = MembershipFactory(organisation=ministry, role="coordinator").user
    enable_totp(user)
    return user


def call_data(orgs, **overrides):
    data = {
        "title": "Gode eksempler på frivillighet på Ærøy",
        "slug": "",
        "introduction": "Send oss gode eksempler.",
        "themes": [t.pk for t in Theme.objects.all()[:2]],
        "organisations": [o.pk for o in orgs],
        "opens_date": "2026-04-01",
        "opens_time": "09:00",
        "closes_date": "2026-05-08",
        "closes_time": "23:59",
        "audience": "logged_in",
        "is_published": "on",
    }
    data.update(overrides)
    return data


def test_a_national_editor_creates_a_call_with_times_in_oslo_and_a_slug_from_the_title(
    client, national_editor, ministry
):
    client.force_login(national_editor)
    response = client.post(CREATE, call_data([ministry]))
    call = Call.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.slug == "gode-eksempler-pa-frivillighet-pa-aeroy"
    # Summer time in May: 23:59 in Oslo is 21:59 UTC; the closing minute is included.
    assert call.closes_at == datetime(2026, 5, 8, 23, 59, 59, tzinfo=OSLO)
    assert call.closes_at.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 21
    assert call.opens_at == datetime(2026, 4, 1, 9, 0, tzinfo=OSLO)
    assert list(call.organisations.all()) == [ministry]
    assert call.themes.count() == 2
    assert call.created_by == national_editor
    assert call.history.get().history_user == national_editor
    # Their call page offers editing and the desk.
    html = client.get(call.get_absolute_url()).content.decode()
    assert reverse("calls:call_edit", args=[call.slug]) in html
    assert reverse("calls:desk", args=[call.slug]) in html


def test_the_form_offers_only_organisations_the_editor_coordinates(client, national_editor, ministry, organisation):
    client.force_login(national_editor)
    html = client.get(CREATE).content.decode()
    assert ministry.name in html
    assert organisation.name not in html
    response = client.post(CREATE, call_data([organisation]))
    assert response.status_code == 200
    assert not Call.objects.exists()
    assert "organisations" in response.context["form"].errors


def test_a_site_admin_may_put_any_organisation_behind_a_call(client, organisation):
    from samspill.accounts.tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(CREATE, call_data([organisation]))
    assert response.status_code == 302
    assert list(Call.objects.get().organisations.all()) == [organisation]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"closes_date": "2026-03-01"}, "closes_date", "Fristen må være etter at innspillsrunden åpner."),
        ({"closes_date": "2026-04-01", "closes_time": "08:00"}, "closes_date", "Fristen må være etter"),
        ({"organisations": []}, "organisations", "Velg minst én organisasjon som står bak."),
        ({"themes": []}, "themes", "Velg minst ett innsatsområde."),
        ({"title": ""}, "title", "Skriv en tittel."),
        ({"closes_date": "8. mai"}, "closes_date", "Skriv inn en gyldig dato"),
        ({"closes_time": "25:99"}, "closes_time", "Skriv inn et gyldig klokkeslett"),
        ({"slug": "ny"}, "slug", "Lenkenavnet er allerede i bruk."),
        ({"slug": "ikke gyldig!"}, "slug", "bokstaver"),
    ],
)
def test_invalid_calls_are_refused_with_a_norwegian_message_at_the_field(
    client, national_editor, ministry, overrides, field, message
):
    client.force_login(national_editor)
    response = client.post(CREATE, call_data([ministry], **overrides))
    assert response.status_code == 200
    assert not Call.objects.exists()
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    # The message is next to the field, linked from the summary.
    assert f'id="id_{field}_error"' in response.content.decode()


def test_a_taken_slug_is_refused_and_a_title_slug_gets_a_number(client, national_editor, ministry):
    CallFactory(slug="gode-eksempler-pa-frivillighet-pa-aeroy")
    client.force_login(national_editor)
    response = client.post(CREATE, call_data([ministry], slug="gode-eksempler-pa-frivillighet-pa-aeroy"))
    assert "Lenkenavnet er allerede i bruk." in response.context["form"].errors["slug"][0]
    client.post(CREATE, call_data([ministry]))
    assert Call.objects.filter(slug="gode-eksempler-pa-frivillighet-pa-aeroy-2").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, call):
    for url in (CREATE, reverse("calls:call_edit", args=[call.slug]), reverse("calls:call_history", args=[call.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_people_who_are_not_editors_cannot_create_or_edit(client, call, member, owner, outsider):
    """A plain member of the organisation behind the call, and a coordinator elsewhere, are not editors."""
    edit = reverse("calls:call_edit", args=[call.slug])
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, call_data([])).status_code == 403
        assert client.get(edit).status_code == 403
        assert client.post(edit, {"title": "Kapret"}).status_code == 403
        assert client.get(reverse("calls:call_history", args=[call.slug])).status_code == 403
        assert client.post(reverse("calls:call_archive", args=[call.slug])).status_code == 403
        assert client.post(reverse("calls:call_extend", args=[call.slug]), {}).status_code == 403
        html = client.get(call.get_absolute_url()).content.decode()
        assert edit not in html
    call.refresh_from_db()
    assert call.title != "Kapret" and call.archived_at is None
    # The admin of a voluntary organisation edits its calls but cannot start new ones.
    client.force_login(owner)
    assert client.get(CREATE).status_code == 403
    assert client.get(edit).status_code == 200


def test_an_unpublished_call_is_a_404_for_outsiders(client, outsider, organisation):
    draft = CallFactory(organisations=[organisation], is_published=False)
    client.force_login(outsider)
    assert client.get(reverse("calls:call_edit", args=[draft.slug])).status_code == 404


def test_a_public_sector_coordinator_needs_two_step_login_to_create(client, ministry):
    user = MembershipFactory(organisation=ministry, role="coordinator").user
    client.force_login(user)
    response = client.get(CREATE)
    assert response.status_code == 403
    assert reverse("mfa_activate_totp") in response.content.decode()
    enable_totp(user)
    assert client.get(CREATE).status_code == 200


def test_an_editor_edits_and_reopens_a_closed_call_by_moving_the_deadline(client, owner, organisation):
    closed = CallFactory(
        organisations=[organisation],
        opens_at=timezone.now() - timedelta(days=60),
        closes_at=timezone.now() - timedelta(days=1),
    )
    assert closed.status == Call.Status.CLOSED
    client.force_login(owner)
    edit = reverse("calls:call_edit", args=[closed.slug])
    form = client.get(edit).context["form"]
    local_close = timezone.localtime(closed.closes_at, OSLO)
    assert form.initial["closes_date"] == local_close.date()
    new_close = timezone.localdate() + timedelta(days=14)
    data = {
        "title": "Ny tittel",
        "slug": closed.slug,
        "introduction": closed.introduction,
        "themes": [t.pk for t in closed.themes.all()],
        "organisations": [organisation.pk],
        "opens_date": form.initial["opens_date"].isoformat(),
        "opens_time": form.initial["opens_time"].strftime("%H:%M"),
        "closes_date": new_close.isoformat(),
        "closes_time": "12:00",
        "audience": "anyone",
        "is_published": "on",
    }
    response = client.post(edit, data)
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.title == "Ny tittel" and closed.audience == "anyone"
    assert closed.status == Call.Status.OPEN
    assert timezone.localtime(closed.closes_at, OSLO).hour == 12
    # The history page shows who changed what.
    history = client.get(reverse("calls:call_history", args=[closed.slug])).content.decode()
    assert "tittel" in history and "frist" in history
    assert closed.history.first().history_user == owner


def test_the_desk_extends_the_deadline_and_archives_and_unarchives(client, owner, call):
    client.force_login(owner)
    new_close = timezone.localdate() + timedelta(days=90)
    response = client.post(
        reverse("calls:call_extend", args=[call.slug]), {"closes_date": new_close.isoformat(), "closes_time": "23:59"}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert timezone.localtime(call.closes_at, OSLO).date() == new_close

    response = client.post(reverse("calls:call_extend", args=[call.slug]), {"closes_date": "2000-01-01"})
    assert response.status_code == 200
    assert "Skriv inn et klokkeslett." in response.content.decode()

    client.post(reverse("calls:call_archive", args=[call.slug]), {"action": "archive"})
    call.refresh_from_db()
    assert call.status == Call.Status.ARCHIVED
    client.post(reverse("calls:call_archive", args=[call.slug]), {"action": "unarchive"})
    call.refresh_from_db()
    assert call.archived_at is None and call.status == Call.Status.OPEN
    assert [h.history_user for h in call.history.all()[:3]] == [owner, owner, owner]


def test_an_extension_before_the_opening_is_refused_at_the_field(client, owner, call):
    client.force_login(owner)
    response = client.post(
        reverse("calls:call_extend", args=[call.slug]), {"closes_date": "2000-01-01", "closes_time": "10:00"}
    )
    assert response.status_code == 200
    assert response.context["extend_form"].errors["closes_date"] == ["Fristen må være etter at innspillsrunden åpner."]
    before = call.closes_at
    call.refresh_from_db()
    assert call.closes_at == before


def test_the_list_of_calls_offers_a_new_call_only_to_those_who_may_create(client, national_editor, member):
    client.force_login(national_editor)
    assert CREATE in client.get(reverse("calls:list")).content.decode()
    client.force_login(member)
    assert CREATE not in client.get(reverse("calls:list")).content.decode()
