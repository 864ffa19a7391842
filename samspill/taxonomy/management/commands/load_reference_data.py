"""Load counties, municipalities, postal codes and the seed taxonomies. Safe to run again.

It lives in taxonomy because taxonomy is the first app that may import places.

Places are reference data: a re-run brings them in line with the files in data/.
Taxonomy terms are created once and then belong to the admins: a re-run adds missing
terms but never overwrites a name an admin has edited.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction

from samspill.places.models import County, Municipality, PostalCode
from samspill.taxonomy import seeds
from samspill.taxonomy.models import FocusArea, OrganisationCategory, OrganisationKind, TargetGroup, Theme


def read_csv(name: str) -> Iterator[dict[str, str]]:
    path = Path(settings.BASE_DIR) / "data" / name
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def sync(model: type[models.Model], key: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """Create missing rows and update changed ones, matched on ``key``. Returns (created, updated)."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}  # type: ignore[attr-defined]
    to_create, to_update, fields = [], [], set()
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**row)
            if hasattr(obj, "refresh_search_fields"):
                obj.refresh_search_fields()
            to_create.append(obj)
            continue
        changed = [f for f, v in row.items() if getattr(obj, f) != v]
        if changed:
            for f in changed:
                setattr(obj, f, row[f])
            if hasattr(obj, "refresh_search_fields"):
                obj.refresh_search_fields()
                changed += ["name_folded", "name_sort"]
            fields.update(changed)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=1000)  # type: ignore[attr-defined]
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields), batch_size=1000)  # type: ignore[attr-defined]
    return len(to_create), len(to_update)


class Command(BaseCommand):
    help = "Load counties, municipalities, postal codes, ICNPO categories and the seed taxonomies (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        self.report("counties", sync(County, "number", self.county_rows()))
        counties = {c.number: c for c in County.objects.all()}
        self.report("municipalities", sync(Municipality, "number", self.municipality_rows(counties)))
        municipalities = {m.number: m for m in Municipality.objects.all()}
        self.report("postal codes", sync(PostalCode, "code", self.postal_rows(municipalities)))
        self.load_categories()
        for model, items in (
            (Theme, seeds.THEMES),
            (FocusArea, seeds.FOCUS_AREAS),
            (TargetGroup, seeds.TARGET_GROUPS),
            (OrganisationKind, seeds.ORGANISATION_KINDS),
        ):
            created = 0
            for position, (slug, name, name_en) in enumerate(items, start=1):
                _, was_created = model.objects.get_or_create(  # type: ignore[attr-defined]
                    slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
                )
                created += was_created
            self.stdout.write(f"{model._meta.verbose_name_plural}: {created} created")

    def report(self, what: str, counts: tuple[int, int]) -> None:
        self.stdout.write(f"{what}: {counts[0]} created, {counts[1]} updated")

    def county_rows(self) -> Iterator[dict[str, Any]]:
        for row in read_csv("fylker_2024.csv"):
            yield {
                "number": row["fylkesnummer"],
                "name": row["fylkesnavn"],
                "official_name": row["fylkesnavn_offisielt"],
                "population": int(row["folketall_2024_01_01"]),
                "area_km2": _decimal(row["areal_km2"]),
                "website": row["nettside"],
                "centre_lat": _decimal(row["senter_lat"]),
                "centre_lon": _decimal(row["senter_lon"]),
            }

    def municipality_rows(self, counties: dict[str, County]) -> Iterator[dict[str, Any]]:
        for row in read_csv("kommuner_2024.csv"):
            yield {
                "number": row["kommunenummer"],
                "name": row["kommunenavn"],
                "official_name": row["kommunenavn_offisielt"],
                "county": counties[row["fylkesnummer"]],
                "administrative_centre": row["administrasjonssenter"],
                "population": int(row["folketall_2024_01_01"]),
                "area_km2": _decimal(row["areal_km2"]),
                "language_form": row["maalform"],
                "website": row["nettside"],
                "centre_lat": _decimal(row["senter_lat"]),
                "centre_lon": _decimal(row["senter_lon"]),
            }

    def postal_rows(self, municipalities: dict[str, Municipality]) -> Iterator[dict[str, Any]]:
        for row in read_csv("postnummer.csv"):
            yield {
                "code": row["postnummer"],
                "place_name": row["poststed"],
                # Svalbard (2100) and Jan Mayen (2211) are not municipalities.
                "municipality": municipalities.get(row["kommunenummer"]),
                "category": row["kategori"],
            }

    def load_categories(self) -> None:
        rows = list(read_csv("icnpo_kategorier.csv"))
        created = 0
        by_code: dict[str, OrganisationCategory] = {}
        for row in sorted(rows, key=lambda r: int(r["niva"])):  # main groups before subgroups
            obj, was_created = OrganisationCategory.objects.get_or_create(
                code=row["icnpo_kode"],
                defaults={
                    "dotted_code": row["kode_punktum"],
                    "parent": by_code.get(row["overordnet_kode"]),
                    "level": int(row["niva"]),
                    "name": row["navn_nb"],
                    "name_en": row["navn_en"],
                    "position": int(row["sortering"]),
                },
            )
            by_code[obj.code] = obj
            created += was_created
        self.stdout.write(f"ICNPO categories: {created} created")
