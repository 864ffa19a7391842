import pytest

pytestmark = pytest.mark.django_db


def test_counties_lists_all_fifteen_alphabetically(client):
    response = client.get("/api/v1/counties")
    assert response.status_code == 200
    counties = response.json()
    assert len(counties) == 15
    names = [c["name"] for c in counties]
    assert names[0] == "Agder"
    assert names.index("Vestland") < names.index("Østfold")  # Ø sorts after V in Norwegian
    vestland = next(c for c in counties if c["number"] == "46")
    assert vestland["population"] > 600_000
    assert vestland["website"].startswith("https://")
    assert set(vestland["centre"]) == {"lat", "lon"}
    assert set(vestland) == {"number", "name", "official_name", "population", "website", "centre"}


def test_municipalities_can_be_filtered_by_county(client):
    everything = client.get("/api/v1/municipalities").json()
    assert len(everything) == 357

    response = client.get("/api/v1/municipalities", {"county": "46"})
    assert response.status_code == 200
    vestland = response.json()
    assert vestland and all(m["county"] == {"number": "46", "name": "Vestland"} for m in vestland)
    bergen = next(m for m in vestland if m["number"] == "4601")
    assert bergen["name"] == "Bergen"
    assert bergen["population"] > 250_000
    assert bergen["centre"]["lat"] == pytest.approx(60.4, abs=0.5)


def test_unknown_county_is_a_404_with_a_message(client):
    response = client.get("/api/v1/municipalities", {"county": "99"})
    assert response.status_code == 404
    assert "99" in response.json()["detail"]


def test_malformed_county_is_a_422_in_json(client):
    response = client.get("/api/v1/municipalities", {"county": "Vestland"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert body["errors"][0]["loc"] == ["query", "county"]


def test_municipality_list_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/municipalities")


def test_county_list_is_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/api/v1/counties")


def test_logged_in_outsider_sees_the_same_open_data(client, outsider):
    anonymous = client.get("/api/v1/counties").json()
    client.force_login(outsider)
    assert client.get("/api/v1/counties").json() == anonymous


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/finnes-ikke")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
