from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from samspill.calls.models import Attachment, Call, ReviewNote, Submission


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["title", "opens_at", "closes_at", "is_published", "archived_at"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "organisations"]
    search_fields = ["title"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["original_name", "content_type", "size"]
    exclude = ["file"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "call", "status", "municipality", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["reference", "title", "contact_name", "contact_email"]
    raw_id_fields = ["submitter", "organisation", "municipality"]
    inlines = [AttachmentInline]


@admin.register(ReviewNote)
class ReviewNoteAdmin(SimpleHistoryAdmin):
    list_display = ["submission", "author", "created_at"]
    raw_id_fields = ["submission", "author"]
