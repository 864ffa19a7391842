"""Import of measurements: a preview with row-level errors, nothing saved until confirmed."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from samspill.measures.models import Measure, Measurement

pytestmark = pytest.mark.django_db


def csv_file(text: str, name: str = "maalinger.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("maalinger.xlsx", buffer.getvalue())


def test_preview_lists_bad_rows_with_number_and_reason_and_saves_nothing(client, member, indicator):
    client.force_login(member)
    before = Measurement.objects.count()
    text = (
        "indikator;periode;verdi;merknad\n"
        f"{indicator.pk};2025-04;22;god måned\n"
        f"{indicator.pk};april;23;\n"
        "Finnes ikke;2025-05;4;\n"
        f"{indicator.name};2025-06;mange;\n"
    )
    response = client.post(reverse("measures:import", args=[indicator.measure_id]), {"file": csv_file(text)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rad 3:" in html and "Ugyldig periode «april»" in html
    assert "Rad 4:" in html and "Ukjent indikator «Finnes ikke»" in html
    assert "Rad 5:" in html and "ikke et tall" in html
    assert "Lagre 1 måling" not in html  # a file with errors cannot be saved
    assert Measurement.objects.count() == before
    # Confirming anyway (a forged form) saves nothing either.
    client.post(reverse("measures:import_confirm", args=[indicator.measure_id]), {"token": "x"})
    assert Measurement.objects.count() == before


def test_a_good_file_is_saved_only_when_confirmed(client, member, indicator):
    client.force_login(member)
    text = f"indikator,periode,verdi\n{indicator.pk},2025-04,22\n{indicator.pk},2025-03,20\n"
    response = client.post(reverse("measures:import", args=[indicator.measure_id]), {"file": csv_file(text)})
    html = response.content.decode()
    assert "Lagre 2 målinger" in html and "retter 19" in html
    assert not Measurement.objects.filter(indicator=indicator, period_start=date(2025, 4, 1)).exists()
    token = response.context["token"]
    response = client.post(reverse("measures:import_confirm", args=[indicator.measure_id]), {"token": token})
    assert response.status_code == 302
    assert Measurement.objects.get(indicator=indicator, period_start=date(2025, 4, 1)).value == 22
    assert Measurement.objects.get(indicator=indicator, period_start=date(2025, 3, 1)).value == 20
    assert Measurement.objects.get(indicator=indicator, period_start=date(2025, 4, 1)).entered_via == "import"
    # The same token cannot save twice.
    client.post(reverse("measures:import_confirm", args=[indicator.measure_id]), {"token": token})
    assert Measurement.objects.filter(indicator=indicator).count() == 4


def test_xlsx_with_ratio_columns(client, partner_member, partner_indicator):
    client.force_login(partner_member)
    upload = xlsx_file([["Indikator", "Periode", "Teller", "Nevner"], [partner_indicator.pk, "2025-02", 9, 12]])
    response = client.post(reverse("measures:import", args=[partner_indicator.measure_id]), {"file": upload})
    assert "Lagre 1 måling" in response.content.decode()
    client.post(
        reverse("measures:import_confirm", args=[partner_indicator.measure_id]), {"token": response.context["token"]}
    )
    assert partner_indicator.measurements.get().value == 75


def test_rows_for_indicators_the_user_does_not_report_are_refused(client, partner_member, indicator, partner_indicator):
    client.force_login(partner_member)
    text = f"indikator;periode;verdi\n{indicator.pk};2025-04;22\n"
    html = client.post(
        reverse("measures:import", args=[indicator.measure_id]), {"file": csv_file(text)}
    ).content.decode()
    assert "Rad 2:" in html and "Du kan ikke rapportere på denne indikatoren." in html


def test_not_a_spreadsheet(client, member, indicator):
    client.force_login(member)
    url = reverse("measures:import", args=[indicator.measure_id])
    html = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not a zip")}).content.decode()
    assert "kunne ikke leses" in html
    html = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}).content.decode()
    assert "Velg en CSV- eller XLSX-fil." in html
    html = client.post(url, {"file": csv_file("a;b\n1;2\n")}).content.decode()
    assert "indikator" in html and "periode" in html


@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("outsider", 404)])
def test_who_may_not_import(client, request, indicator, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("measures:import", args=[indicator.measure_id])).status_code == status


def test_a_partner_without_indicators_to_report_may_not_import(client, partner_member, indicator):
    client.force_login(partner_member)
    assert client.get(reverse("measures:import", args=[indicator.measure_id])).status_code == 403


def test_public_measure_import_is_still_only_for_reporters(client, outsider, indicator):
    Measure.objects.filter(pk=indicator.measure_id).update(is_public=True)
    client.force_login(outsider)
    assert client.get(reverse("measures:import", args=[indicator.measure_id])).status_code == 403
