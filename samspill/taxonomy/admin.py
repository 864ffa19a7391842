from django.contrib import admin

from samspill.taxonomy.models import FocusArea, OrganisationCategory, OrganisationKind, TargetGroup, Theme


@admin.register(Theme, FocusArea, TargetGroup, OrganisationKind)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "name_en", "slug"]


@admin.register(OrganisationCategory)
class OrganisationCategoryAdmin(admin.ModelAdmin):
    list_display = ["dotted_code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "name_en", "code"]
