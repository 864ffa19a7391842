from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samspill.partnerships.models import (
    ActionItem,
    Agreement,
    Contribution,
    GuidelinesComment,
    GuidelinesVersion,
    Meeting,
    Partnership,
    PartnershipMember,
    PartnershipSection,
    Signature,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["heading", "kind", "feature", "position", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["position", "is_active"]


class MemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ["organisation", "contact_person", "invited_by", "decided_by"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lead", "status", "is_public"]
    list_filter = ["status", "is_public"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["focus_areas", "target_groups"]
    raw_id_fields = ["lead", "counties", "municipalities", "created_by"]
    inlines = [MemberInline]


@admin.register(PartnershipSection)
class PartnershipSectionAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "topic", "progress"]
    list_filter = ["topic__kind"]


@admin.register(GuidelinesVersion)
class GuidelinesVersionAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "number", "status", "adopted_on"]
    raw_id_fields = ["proposed_by"]


admin.site.register(GuidelinesComment)


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    raw_id_fields = ["signed_by"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    raw_id_fields = ["member", "replaces", "parties", "created_by"]
    inlines = [ContributionInline, SignatureInline]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner_organisation", "owner_person", "partnership"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "held_on", "place"]
    inlines = [ActionItemInline]
