from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samspill.organisations.models import ApiToken, Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "org_number", "home_municipality"]
    list_filter = ["kind", "home_municipality__county"]
    search_fields = ["name", "org_number"]
    autocomplete_fields = ["home_municipality", "municipalities_served", "governs_municipality", "governs_county"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    list_select_related = ["kind", "home_municipality"]

    def save_model(self, request, obj, form, change):
        obj.refresh_search_fields()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token"]


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "key_hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "key_hint", "last_used_at"]
    search_fields = ["name", "organisation__name"]
