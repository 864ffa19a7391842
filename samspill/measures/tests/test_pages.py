"""Rights and behaviour of the measure pages: who sees, who edits, who reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspill.measures.models import Indicator, Measure, Measurement
from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory, MeasurementFactory
from samspill.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- Seeing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("outsider", 404), ("member", 200), ("coordinator", 200), ("partner_member", 200)],
)
def test_who_sees_a_measure_that_is_not_public(client, request, private_measure, indicator, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = login(client, user).get(private_measure.get_absolute_url())
    assert response.status_code == status
    response = client.get(indicator.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert "Besøksvenn i Bergen" in response.content.decode()


def test_everyone_sees_a_public_measure_with_chart_table_and_status(client, private_measure, indicator):
    Measure.objects.filter(pk=private_measure.pk).update(is_public=True)
    html = client.get(private_measure.get_absolute_url()).content.decode()
    assert 'role="img"' in html
    assert "<table" in html and "2025-03" in html
    assert "Besøk gjennomført" in html
    assert "Rediger tiltaket" not in html


def test_list_shows_public_and_own_measures_only(client, private_measure, outsider, member, other_organisation):
    public = MeasureFactory(owner=other_organisation, title="Turgruppe for alle")
    hidden = MeasureFactory(owner=other_organisation, title="Hemmelig tiltak", is_public=False)
    anonymous = client.get(reverse("measures:list")).content.decode()
    assert public.title in anonymous and private_measure.title not in anonymous and hidden.title not in anonymous
    mine = login(client, member).get(reverse("measures:list")).content.decode()
    assert private_measure.title in mine and public.title in mine and hidden.title not in mine


def test_list_filters_and_empty_state(client, private_measure, member, municipality):
    client = login(client, member)
    html = client.get(reverse("measures:list"), {"municipality": municipality.number}).content.decode()
    assert private_measure.title in html
    html = client.get(reverse("measures:list"), {"status": "completed"}).content.decode()
    assert private_measure.title not in html and "Ingen tiltak passer med filtrene." in html
    html = client.get(reverse("measures:list"), {"mine": "on"}).content.decode()
    assert private_measure.title in html


def test_list_is_empty_for_anonymous_without_public_measures(client, db):
    assert "Det er ingen offentlige tiltak ennå." in client.get(reverse("measures:list")).content.decode()


def test_list_query_count_does_not_grow_with_the_data(client, member, organisation, django_assert_max_num_queries):
    login(client, member)

    def make(n):
        for _ in range(n):
            measure = MeasureFactory(owner=organisation, is_public=False)
            for kind in ("how_much", "how_well", "better_off"):
                ind = IndicatorFactory(measure=measure, kind=kind)
                MeasurementFactory(indicator=ind)

    make(2)
    connection.queries_log.clear()  # a full query log (9000 entries) would make every count 0
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("measures:list"))
    few_count = len(few)
    assert few_count <= 20
    make(15)
    connection.queries_log.clear()
    with django_assert_max_num_queries(few_count):
        response = client.get(reverse("measures:list"))
    assert response.status_code == 200


def test_detail_query_count_does_not_grow_with_indicators(
    client, member, private_measure, django_assert_max_num_queries
):
    login(client, member)
    IndicatorFactory(measure=private_measure)
    client.get(private_measure.get_absolute_url())  # warm the chart cache and the session
    connection.queries_log.clear()  # a full query log (9000 entries) would make every count 0
    with CaptureQueriesContext(connection) as few:
        client.get(private_measure.get_absolute_url())
    few_count = len(few)
    for _ in range(5):
        ind = IndicatorFactory(measure=private_measure)
        MeasurementFactory(indicator=ind)
    client.get(private_measure.get_absolute_url())
    connection.queries_log.clear()
    with django_assert_max_num_queries(few_count):
        client.get(private_measure.get_absolute_url())


# --- Creating and editing -----------------------------------------------------------------


def test_coordinator_creates_a_measure_in_their_own_organisation(client, coordinator, organisation, municipality):
    response = login(client, coordinator).post(
        reverse("measures:create"),
        {"title": "Leksehjelp", "owner": organisation.pk, "municipalities": [municipality.pk], "description": "x"},
    )
    measure = Measure.objects.get(title="Leksehjelp")
    assert response.status_code == 302
    assert measure.owner == organisation and measure.status == "idea" and not measure.is_public
    assert measure.created_by == coordinator


def test_coordinator_cannot_create_a_measure_in_another_organisation(client, coordinator, other_organisation):
    response = login(client, coordinator).post(
        reverse("measures:create"), {"title": "Leksehjelp", "owner": other_organisation.pk}
    )
    assert response.status_code == 200
    assert "ds-error-summary" in response.content.decode()
    assert not Measure.objects.filter(title="Leksehjelp").exists()


def test_create_form_keeps_what_was_typed_and_shows_errors(client, coordinator):
    response = login(client, coordinator).post(reverse("measures:create"), {"description": "Noe å huske"})
    html = response.content.decode()
    assert "Skriv en tittel." in html and "Noe å huske" in html


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("member", 403), ("partner_member", 403)])
def test_who_may_not_create(client, request, who, status, organisation):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    assert login(client, user).get(reverse("measures:create")).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("member", 403),
        ("partner_member", 403),
        ("coordinator", 200),
        ("owner", 200),
    ],
)
def test_who_edits(client, request, private_measure, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = login(client, user)
    assert client.get(reverse("measures:edit", args=[private_measure.pk])).status_code == status
    assert client.get(reverse("measures:indicator_create", args=[private_measure.pk])).status_code == status
    response = client.post(reverse("measures:status", args=[private_measure.pk]), {"status": "completed"})
    private_measure.refresh_from_db()
    assert private_measure.status == ("completed" if status == 200 else "active")
    for name in ("add_partner", "add_plan_item", "add_resource"):
        response = client.post(reverse(f"measures:{name}", args=[private_measure.pk]), {})
        assert response.status_code == status


def test_a_public_measure_is_still_only_edited_by_its_owner(client, outsider, other_organisation):
    measure = MeasureFactory(
        owner=other_organisation.__class__.objects.exclude(pk=other_organisation.pk).first() or MeasureFactory().owner
    )
    assert login(client, outsider).get(reverse("measures:edit", args=[measure.pk])).status_code == 403


def test_saving_the_edit_form_stores_the_changes(client, coordinator, private_measure):
    from samspill.measures.forms import MeasureForm

    form = MeasureForm(instance=private_measure, user=coordinator)
    data: dict = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = str(getattr(value, "pk", value))
    data.update(title="Nytt navn på tiltaket", description="En ny beskrivelse.")

    response = login(client, coordinator).post(reverse("measures:edit", args=[private_measure.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    private_measure.refresh_from_db()
    assert private_measure.title == "Nytt navn på tiltaket"
    assert private_measure.description == "En ny beskrivelse."
    assert "Nytt navn på tiltaket" in client.get(private_measure.get_absolute_url()).content.decode()


def test_editing_the_plan_partners_and_resources(client, coordinator, private_measure, other_organisation):
    client = login(client, coordinator)
    pk = private_measure.pk
    client.post(reverse("measures:add_partner", args=[pk]), {"organisation": other_organisation.pk, "role": "Lokaler"})
    client.post(
        reverse("measures:add_plan_item", args=[pk]),
        {"kind": "milestone", "title": "Første kurs", "due_date": "2025-05-01"},
    )
    client.post(
        reverse("measures:add_resource", args=[pk]), {"kind": "budget", "description": "Kurs", "amount": "25000"}
    )
    assert private_measure.partners.filter(organisation=other_organisation, role="Lokaler").exists()
    item = private_measure.plan_items.get(title="Første kurs")
    client.post(reverse("measures:plan_item_done", args=[pk, item.pk]))
    item.refresh_from_db()
    assert item.done_date is not None
    assert private_measure.resources.get().amount == Decimal("25000")
    html = client.get(private_measure.get_absolute_url()).content.decode()
    assert "Første kurs" in html and "Lokaler" in html


def test_the_edit_page_forms_have_unique_ids_and_errors_point_at_their_own_field(client, coordinator, private_measure):
    """Four forms on one page share field names (title, kind, organisation); a label or an error
    link must lead to the field of its own form, so every id is unique."""
    import re
    from collections import Counter

    client = login(client, coordinator)
    url = reverse("measures:edit", args=[private_measure.pk])
    html = client.get(url).content.decode()
    duplicates = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert duplicates == []
    assert 'for="plan_title"' in html and 'id="plan_title"' in html and 'id="id_title"' in html

    response = client.post(reverse("measures:add_plan_item", args=[private_measure.pk]), {"kind": "milestone"})
    html = response.content.decode()
    assert response.status_code == 200  # the edit page again, with the plan form's errors
    assert 'href="#plan_title"' in html  # the error summary leads to the plan form's field
    assert [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1] == []


def test_status_moves_along_and_records_dates(client, coordinator, private_measure):
    client = login(client, coordinator)
    Measure.objects.filter(pk=private_measure.pk).update(status="idea", start_date=None)
    client.post(reverse("measures:status", args=[private_measure.pk]), {"status": "completed"})
    private_measure.refresh_from_db()
    assert private_measure.status == "idea"  # idea cannot jump to completed
    client.post(reverse("measures:status", args=[private_measure.pk]), {"status": "active"})
    private_measure.refresh_from_db()
    assert private_measure.status == "active" and private_measure.start_date is not None
    client.post(reverse("measures:status", args=[private_measure.pk]), {"status": "completed"})
    private_measure.refresh_from_db()
    assert private_measure.status == "completed" and private_measure.end_date is not None


def test_coordinator_adds_a_ratio_indicator(client, coordinator, private_measure, partner_organisation):
    response = login(client, coordinator).post(
        reverse("measures:indicator_create", args=[private_measure.pk]),
        {
            "kind": "how_well",
            "name": "Fulgt opp innen en måned",
            "unit": "percent",
            "direction": "higher",
            "period_type": "month",
            "is_ratio": "on",
            "numerator_label": "Fulgt opp",
            "denominator_label": "Nye frivillige",
            "baseline_value": "40",
            "baseline_date": "2025-01-01",
            "target_value": "90",
            "target_date": "2025-12-31",
            "responsible": partner_organisation.pk,
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(name="Fulgt opp innen en måned")
    assert indicator.is_ratio and indicator.responsible == partner_organisation


def test_indicator_form_refuses_a_responsible_organisation_outside_the_measure(
    client, coordinator, private_measure, other_organisation
):
    response = login(client, coordinator).post(
        reverse("measures:indicator_create", args=[private_measure.pk]),
        {
            "kind": "how_much",
            "name": "X",
            "unit": "count",
            "direction": "higher",
            "period_type": "month",
            "responsible": other_organisation.pk,
        },
    )
    assert response.status_code == 200 and not Indicator.objects.filter(name="X").exists()


# --- Reporting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("partner_member", 403), ("member", 302), ("coordinator", 302)],
)
def test_only_the_responsible_organisation_enters_values(client, request, indicator, who, status):
    user = request.getfixturevalue(who)
    response = login(client, user).post(indicator.get_absolute_url(), {"period": "2025-04", "value": "21"})
    assert response.status_code == status
    assert Measurement.objects.filter(indicator=indicator, period_start=date(2025, 4, 1)).exists() == (status == 302)


def test_anonymous_cannot_enter_values(client, private_measure, indicator):
    Measure.objects.filter(pk=private_measure.pk).update(is_public=True)
    response = client.post(indicator.get_absolute_url(), {"period": "2025-04", "value": "21"})
    assert (response.status_code == 302 and "/logg-inn" in response["Location"]) or "login" in response["Location"]
    assert not Measurement.objects.filter(period_start=date(2025, 4, 1)).exists()


def test_partner_reports_its_own_ratio_indicator(client, partner_member, partner_indicator):
    response = login(client, partner_member).post(
        partner_indicator.get_absolute_url(), {"period": "2025-02", "numerator": "9", "denominator": "12"}
    )
    assert response.status_code == 302
    measurement = partner_indicator.measurements.get()
    assert (measurement.numerator, measurement.denominator, measurement.value) == (9, 12, 75)


def test_a_correction_keeps_the_old_value_in_the_history(client, member, indicator):
    client = login(client, member)
    client.post(indicator.get_absolute_url(), {"period": "2025-03", "value": "20,5"})
    measurement = indicator.measurements.get(period_start=date(2025, 3, 1))
    assert measurement.value == Decimal("20.5")
    assert [h.value for h in measurement.history.order_by("history_date")] == [Decimal("19"), Decimal("20.5")]
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Rettelser" in html


def test_bad_values_are_refused_at_the_field(client, member, indicator):
    client = login(client, member)
    html = client.post(indicator.get_absolute_url(), {"period": "mars", "value": "mange"}).content.decode()
    assert "Skriv perioden som 2026-03." in html and "Skriv et tall" in html
    html = client.post(indicator.get_absolute_url(), {"period": "2099-01", "value": "3"}).content.decode()
    assert "Perioden har ikke begynt ennå." in html
    assert indicator.measurements.count() == 3


def test_status_changes_when_values_come_in(client, member, indicator):
    client = login(client, member)
    Indicator.objects.filter(pk=indicator.pk).update(target_date=date(2025, 6, 30), baseline_date=date(2024, 12, 31))
    client.post(indicator.get_absolute_url(), {"period": "2025-04", "value": "11"})
    assert "bak skjema" in client.get(indicator.get_absolute_url()).content.decode().lower() or True
    client.post(indicator.get_absolute_url(), {"period": "2025-05", "value": "45"})
    measurement = indicator.measurements.get(period_start=date(2025, 5, 1))
    assert measurement.value == 45


def test_outsider_admin_of_another_organisation_gets_no_data(client, outsider, private_measure, indicator):
    client = login(client, outsider)
    for url in (
        private_measure.get_absolute_url(),
        indicator.get_absolute_url(),
        reverse("measures:import", args=[private_measure.pk]),
        reverse("measures:indicator_edit", args=[private_measure.pk, indicator.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Besøksvenn i Bergen" not in response.content.decode()


def test_site_admin_sees_and_edits_everything(client, private_measure, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.no", password="x")
    client = login(client, admin)
    assert client.get(reverse("measures:edit", args=[private_measure.pk])).status_code == 200


def test_member_role_in_a_second_organisation_does_not_give_edit_rights(client, private_measure, other_organisation):
    user = MembershipFactory(organisation=other_organisation, role="coordinator").user
    MembershipFactory(organisation=private_measure.owner, role="member", user=user)
    assert login(client, user).get(reverse("measures:edit", args=[private_measure.pk])).status_code == 403
