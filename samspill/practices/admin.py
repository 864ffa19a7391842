from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samspill.practices import search
from samspill.practices.models import Practice


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "source", "evidence_level", "published_at", "adoption_count"]
    list_filter = ["status", "source", "evidence_level", "themes"]
    search_fields = ["title", "summary", "slug"]
    filter_horizontal = ["themes", "focus_areas", "target_groups"]
    raw_id_fields = ["municipalities", "organisations", "source_submission", "proposed_by", "proposed_for"]
    readonly_fields = ["published_by", "published_at", "adoption_count", "created_at", "updated_at"]

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        # Admin edits bypass the services; keep the search index current all the same.
        super().save_related(request, form, formsets, change)
        if form.instance.status == Practice.Status.PUBLISHED:
            search.index_practice(form.instance)
        else:
            search.remove_from_index(form.instance.pk)
