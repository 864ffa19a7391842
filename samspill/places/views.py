from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samspill.core.pagination import paginate
from samspill.core.permissions import get_object_for_user
from samspill.core.sections import object_sections
from samspill.organisations.models import Organisation
from samspill.places.models import County, Municipality


def county_list(request: HttpRequest) -> HttpResponse:
    counties = County.objects.alphabetical().annotate(municipality_count=Count("municipalities"))
    return render(request, "places/county_list.html", {"counties": counties})


def county_detail(request: HttpRequest, number: str) -> HttpResponse:
    county = get_object_for_user(request, County.objects.all(), number=number)
    municipalities = county.municipalities.alphabetical()
    organisations = Organisation.objects.in_county(county).for_listing().order_by("name_sort")
    return render(
        request,
        "places/county_detail.html",
        {
            "county": county,
            "municipalities": municipalities,
            "page_obj": paginate(request, organisations),
            "own_organisation": Organisation.objects.filter(governs_county=county).first(),
            "sections": object_sections(request, county),
        },
    )


def municipality_detail(request: HttpRequest, number: str) -> HttpResponse:
    municipality = get_object_for_user(request, Municipality.objects.select_related("county"), number=number)
    organisations = Organisation.objects.in_municipality(municipality).for_listing().order_by("name_sort")
    return render(
        request,
        "places/municipality_detail.html",
        {
            "municipality": municipality,
            "page_obj": paginate(request, organisations),
            "own_organisation": Organisation.objects.filter(governs_municipality=municipality).first(),
            "sections": object_sections(request, municipality),
        },
    )
