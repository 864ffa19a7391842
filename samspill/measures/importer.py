"""Import of measurements from a CSV or XLSX file: read, check every row, then save on confirmation.

The file has a header row with the columns ``indikator`` (the indicator's number or exact
name), ``periode`` (``2026-03``, ``2026-K1`` or ``2026``), ``verdi`` and, for ratio
indicators, ``teller`` and ``nevner``; ``merknad`` is optional. ``check`` saves nothing:
it returns the good rows and, for each bad row, its row number and the reason. ``save``
writes the good rows in one transaction, so an import is either saved whole or not at all.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.measures import periods, services
from samspill.measures.models import Indicator, Measure, Measurement

MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = ("indikator", "periode", "verdi", "teller", "nevner", "merknad")
ALIASES = {
    "indicator": "indikator",
    "period": "periode",
    "value": "verdi",
    "numerator": "teller",
    "denominator": "nevner",
    "note": "merknad",
}


class UnreadableFile(ValidationError):
    pass


@dataclass
class Row:
    number: int
    indicator: Indicator | None = None
    period_start: date | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)
    replaces: Decimal | None = None  # the value this row corrects, if the period has one

    @property
    def period_label(self) -> str:
        return self.indicator.period_label(self.period_start) if self.indicator and self.period_start else ""

    def as_data(self) -> dict[str, Any]:
        """What the confirmation step needs, as JSON-safe values (kept in the session)."""
        if self.indicator is None or self.period_start is None:
            raise ValueError("only checked rows can be saved")
        return {
            "indicator": self.indicator.pk,
            "period": self.period_start.isoformat(),
            "value": str(self.value) if self.value is not None else None,
            "numerator": str(self.numerator) if self.numerator is not None else None,
            "denominator": str(self.denominator) if self.denominator is not None else None,
            "note": self.note,
        }


@dataclass
class Checked:
    good: list[Row]
    bad: list[Row]


def read_rows(upload: Any) -> list[dict[str, str]]:
    """The file's rows as dicts keyed by lower-case column name. Raises UnreadableFile."""
    name = (getattr(upload, "name", "") or "").lower()
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise UnreadableFile(_("Filen er for stor (høyst 2 MB)."))
    data = upload.read()
    if name.endswith(".xlsx"):
        table = _xlsx(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _csv(data)
    else:
        raise UnreadableFile(_("Velg en CSV- eller XLSX-fil."))
    if not table:
        raise UnreadableFile(_("Filen er tom."))
    header = [ALIASES.get(str(h or "").strip().lower(), str(h or "").strip().lower()) for h in table[0]]
    if "indikator" not in header or "periode" not in header:
        raise UnreadableFile(
            _("Første rad må ha kolonnene «indikator» og «periode», og «verdi» eller «teller» og «nevner».")
        )
    if len(table) - 1 > MAX_ROWS:
        raise UnreadableFile(_("Filen har for mange rader (høyst %(n)s).") % {"n": MAX_ROWS})
    rows = []
    for cells in table[1:]:
        row = {header[i]: _text(cells[i]) for i in range(min(len(header), len(cells))) if header[i] in COLUMNS}
        rows.append(row)
    return rows


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "date") and callable(cell.date):  # a date cell in a spreadsheet
        return cell.date().isoformat()[:7]
    return str(cell).strip()


def _csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]


def _xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(_("Filen kunne ikke leses som et XLSX-regneark.")) from exc
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in row)]
    workbook.close()
    return rows


def _decimal(text: str) -> Decimal | None:
    text = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e11"):
        raise ValueError(text)
    return value


def check(measure: Measure, rows: list[dict[str, str]], user: Any, today: date) -> Checked:
    """Check each row against the measure's indicators and the user's right to report them."""
    indicators = list(measure.indicators.all())
    by_id = {str(i.pk): i for i in indicators}
    by_name = {i.name.strip().lower(): i for i in indicators}
    existing = {
        (m.indicator_id, m.period_start): m.value for m in Measurement.objects.filter(indicator__measure=measure)
    }
    seen: set[tuple[int, date]] = set()
    good: list[Row] = []
    bad: list[Row] = []
    for offset, data in enumerate(rows):
        row = Row(number=offset + 2, note=data.get("merknad", "")[:500])  # row 1 is the header
        key = data.get("indikator", "")
        row.indicator = by_id.get(key) or by_name.get(key.lower())
        if row.indicator is None:
            row.errors.append(_("Ukjent indikator «%(name)s» i dette tiltaket.") % {"name": key})
        elif not user.has_perm("measures.add_measurement", row.indicator):
            row.errors.append(_("Du kan ikke rapportere på denne indikatoren."))
        if row.indicator is not None:
            row.period_start = periods.parse(row.indicator.period_type, data.get("periode", ""))
            if row.period_start is None:
                row.errors.append(
                    _("Ugyldig periode «%(value)s»; skriv for eksempel %(example)s.")
                    % {"value": data.get("periode", ""), "example": periods.example(row.indicator.period_type)}
                )
        for column in ("verdi", "teller", "nevner"):
            try:
                parsed = _decimal(data.get(column, ""))
            except ValueError:
                row.errors.append(
                    _("«%(value)s» i kolonnen %(column)s er ikke et tall.")
                    % {"value": data.get(column), "column": column}
                )
                continue
            setattr(row, {"verdi": "value", "teller": "numerator", "nevner": "denominator"}[column], parsed)
        if row.indicator is not None and row.period_start is not None and not row.errors:
            try:
                services.check_period(row.indicator, row.period_start, today)
                row.value = services.measured_value(row.indicator, row.value, row.numerator, row.denominator)
            except ValidationError as exc:
                row.errors.extend(exc.messages)
            pair = (row.indicator.pk, row.period_start)
            if pair in seen:
                row.errors.append(_("Perioden står flere ganger i filen for denne indikatoren."))
            seen.add(pair)
            row.replaces = existing.get(pair)
        (bad if row.errors else good).append(row)
    return Checked(good, bad)


@transaction.atomic
def save(measure: Measure, data: list[dict[str, Any]], user: Any, today: date) -> int:
    """Save checked rows (from ``Row.as_data``) again checked; all or nothing. Returns how many."""
    indicators = {i.pk: i for i in measure.indicators.all()}
    count = 0
    for item in data:
        indicator = indicators.get(item["indicator"])
        if indicator is None or not user.has_perm("measures.add_measurement", indicator):
            raise ValidationError(_("Importen er ikke lenger gyldig. Last opp filen på nytt."))
        services.record_measurement(
            indicator=indicator,
            period_start=date.fromisoformat(item["period"]),
            value=Decimal(item["value"]) if item["value"] is not None else None,
            numerator=Decimal(item["numerator"]) if item["numerator"] is not None else None,
            denominator=Decimal(item["denominator"]) if item["denominator"] is not None else None,
            note=item.get("note", ""),
            by=user,
            via="import",
            today=today,
        )
        count += 1
    return count
