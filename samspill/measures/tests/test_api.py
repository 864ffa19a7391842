"""The measures API: public reading, and reporting values with the responsible organisation's key."""

from datetime import date

import pytest

from samspill.measures.models import Measure, Measurement
from samspill.measures.tests.factories import IndicatorFactory, MeasureFactory
from samspill.organisations.tokens import create_api_token

pytestmark = pytest.mark.django_db


def bearer(organisation) -> dict[str, str]:
    _token, raw = create_api_token(organisation=organisation, name="rapportering", created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_list_has_public_measures_only(client, private_measure, other_organisation, municipality):
    public = MeasureFactory(owner=other_organisation, title="Turgruppe for alle")
    public.municipalities.set([municipality])
    body = client.get("/api/v1/measures").json()
    assert [item["title"] for item in body["items"]] == ["Turgruppe for alle"]
    assert body["items"][0]["municipalities"] == ["4601"]
    assert client.get("/api/v1/measures", {"municipality": "4601"}).json()["count"] == 1
    assert client.get("/api/v1/measures", {"status": "completed"}).json()["count"] == 0
    assert client.get("/api/v1/measures", {"municipality": "9999"}).status_code == 404
    assert client.get("/api/v1/measures", {"focus_area": "finnes-ikke"}).status_code == 404
    assert client.get("/api/v1/measures", {"status": "bad"}).status_code == 422


def test_filter_by_partnership(client, other_organisation):
    from samspill.partnerships.tests.factories import PartnershipFactory

    partnership = PartnershipFactory()
    MeasureFactory(owner=other_organisation, partnership=partnership, title="I partnerskapet")
    MeasureFactory(owner=other_organisation, title="Utenfor")
    items = client.get("/api/v1/measures", {"partnership": partnership.slug}).json()["items"]
    assert [i["title"] for i in items] == ["I partnerskapet"]
    assert items[0]["partnership"] == partnership.slug


def test_detail_with_indicators_status_and_values(client, private_measure, indicator):
    assert client.get(f"/api/v1/measures/{private_measure.pk}").status_code == 404
    Measure.objects.filter(pk=private_measure.pk).update(is_public=True)
    body = client.get(f"/api/v1/measures/{private_measure.pk}").json()
    (ind,) = body["indicators"]
    assert ind["name"] == "Besøk gjennomført" and ind["kind"] == "how_much"
    assert ind["latest"] == {
        "period": "2025-03",
        "period_start": "2025-03-01",
        "value": 19.0,
        "numerator": None,
        "denominator": None,
    }
    assert [m["value"] for m in ind["measurements"]] == [12.0, 15.0, 19.0]
    assert ind["status"]["code"] in ("on_track", "behind", "no_data")
    assert body["partners"][0]["role"]
    assert client.get("/api/v1/measures/999999").status_code == 404


def test_the_responsible_organisation_reports_a_value(client, organisation, indicator):
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    response = client.post(
        url, {"period": "2025-04", "value": 23}, content_type="application/json", **bearer(organisation)
    )
    assert response.status_code == 201, response.content
    assert response.json()["period"] == "2025-04"
    saved = Measurement.objects.get(indicator=indicator, period_start=date(2025, 4, 1))
    assert saved.value == 23 and saved.entered_via == "api"
    # The same period again is a correction.
    response = client.post(
        url, {"period": "2025-04", "value": 24}, content_type="application/json", **bearer(organisation)
    )
    assert response.status_code == 200
    assert saved.history.count() == 2


def test_other_organisations_may_not_report(client, partner_organisation, other_organisation, indicator):
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    body = {"period": "2025-04", "value": 23}
    # A partner sees the measure but is not responsible for this indicator.
    response = client.post(url, body, content_type="application/json", **bearer(partner_organisation))
    assert response.status_code == 403 and "detail" in response.json()
    # An outsider does not even see it.
    response = client.post(url, body, content_type="application/json", **bearer(other_organisation))
    assert response.status_code == 404
    # No key at all.
    assert client.post(url, body, content_type="application/json").status_code == 401
    assert not Measurement.objects.filter(period_start=date(2025, 4, 1)).exists()


def test_bad_values_give_422(client, organisation, indicator, partner_indicator, partner_organisation):
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    key = bearer(organisation)
    for body in (
        {"period": "april", "value": 3},
        {"period": "2099-01", "value": 3},
        {"period": "2025-04"},
        {"period": "2025-04", "value": -1},
        {"period": "2025-04", "value": "many"},
    ):
        response = client.post(url, body, content_type="application/json", **key)
        assert response.status_code == 422, body
        assert "detail" in response.json()
    ratio = f"/api/v1/indicators/{partner_indicator.pk}/measurements"
    response = client.post(
        ratio,
        {"period": "2025-04", "numerator": 3, "denominator": 0},
        content_type="application/json",
        **bearer(partner_organisation),
    )
    assert response.status_code == 422
    response = client.post(
        ratio,
        {"period": "2025-04", "numerator": 3, "denominator": 4},
        content_type="application/json",
        **bearer(partner_organisation),
    )
    assert response.status_code == 201 and response.json()["value"] == 75.0


def test_unknown_indicator_is_404(client, organisation):
    response = client.post(
        "/api/v1/indicators/999999/measurements",
        {"period": "2025-04", "value": 1},
        content_type="application/json",
        **bearer(organisation),
    )
    assert response.status_code == 404


def test_a_public_measure_is_reported_only_by_the_responsible_organisation(client, other_organisation, indicator):
    Measure.objects.filter(pk=indicator.measure_id).update(is_public=True)
    url = f"/api/v1/indicators/{indicator.pk}/measurements"
    response = client.post(
        url, {"period": "2025-04", "value": 1}, content_type="application/json", **bearer(other_organisation)
    )
    assert response.status_code == 403


def test_list_query_count(client, other_organisation, django_assert_max_num_queries):
    for _ in range(10):
        measure = MeasureFactory(owner=other_organisation)
        IndicatorFactory(measure=measure)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/measures").json()["count"] == 10
