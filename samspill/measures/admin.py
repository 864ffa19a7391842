from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samspill.measures.models import Indicator, Measure, Measurement, MeasurePartner, PlanItem, Resource


class PartnerInline(admin.TabularInline):
    model = MeasurePartner
    extra = 0
    autocomplete_fields = ["organisation"]


class PlanInline(admin.TabularInline):
    model = PlanItem
    extra = 0


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "owner", "status", "is_public", "updated_at"]
    list_filter = ["status", "is_public"]
    search_fields = ["title"]
    autocomplete_fields = ["owner", "municipalities", "adopted_practice", "published_as"]
    inlines = [PartnerInline, PlanInline, ResourceInline]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "measure", "kind", "unit", "responsible"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "measure__title"]
    raw_id_fields = ["measure", "responsible"]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period_start", "value", "entered_via"]
    raw_id_fields = ["indicator", "entered_by"]
