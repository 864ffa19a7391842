from django.contrib import admin

from samspill.places.models import County, Municipality, PostalCode


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "population"]
    search_fields = ["name", "number"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "population"]
    list_filter = ["county"]
    search_fields = ["name", "official_name", "number"]


@admin.register(PostalCode)
class PostalCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "place_name", "municipality", "category"]
    search_fields = ["code", "place_name"]
    list_select_related = ["municipality"]
