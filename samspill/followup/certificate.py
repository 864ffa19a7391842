"""The volunteer certificate (frivillig-attest): approved hours and tasks from one organisation, as PDF."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from samspill.core.text import norwegian_slugify
from samspill.followup.models import HoursEntry, TrainingCompletion


def context(organisation: Any, person: Any) -> dict[str, Any]:
    approved = HoursEntry.objects.filter(organisation=organisation, user=person, status="approved")
    tasks = (
        approved.values("opportunity__title")
        .annotate(total=Sum("hours"), count=Count("pk"), first=Min("date"), last=Max("date"))
        .order_by("first", "opportunity__title")
    )
    summary = approved.aggregate(total=Sum("hours"), first=Min("date"), last=Max("date"))
    return {
        "organisation": organisation,
        "person": person,
        "tasks": tasks,
        "total": summary["total"] or 0,
        "first": summary["first"],
        "last": summary["last"],
        "training": TrainingCompletion.objects.filter(item__organisation=organisation, user=person)
        .select_related("item")
        .order_by("completed_on"),
        "issued_on": timezone.localdate(),
    }


def html(organisation: Any, person: Any) -> str:
    return render_to_string("followup/certificate.html", context(organisation, person))


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    # The certificate needs nothing from outside; never let a text make WeasyPrint fetch a URL.
    raise ValueError(f"no external resources in the certificate: {url}")


def pdf(organisation: Any, person: Any) -> bytes:
    from weasyprint import HTML

    return HTML(string=html(organisation, person), url_fetcher=_refuse_fetch).write_pdf()


def response(organisation: Any, person: Any) -> HttpResponse:
    result = HttpResponse(pdf(organisation, person), content_type="application/pdf")
    name = norwegian_slugify(f"frivillig-attest {person.name or 'frivillig'} {organisation.name}")
    result["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    result["Cache-Control"] = "private, no-store"
    return result
