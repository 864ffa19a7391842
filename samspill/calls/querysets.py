from __future__ import annotations

from django.db import models
from django.utils import timezone


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def listed(self):
        """Published calls, open ones first, then upcoming, closed and archived."""
        now = timezone.now()
        rank = models.Case(
            models.When(archived_at__isnull=False, then=3),
            models.When(opens_at__gt=now, then=1),
            models.When(closes_at__gt=now, then=0),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.published().annotate(listing_rank=rank).order_by("listing_rank", "closes_at")

    def visible_to(self, user):
        """Published calls for everyone; drafts also for the people who edit them."""
        from samspill.core.permissions import editable_call_ids

        if getattr(user, "is_superuser", False):
            return self.all()
        return self.filter(models.Q(is_published=True) | models.Q(pk__in=editable_call_ids(user)))


class SubmissionQuerySet(models.QuerySet):
    def sent(self):
        return self.exclude(status="draft")

    def visible_to(self, user):
        """The submitter's own, and the sent submissions of calls the user edits."""
        from samspill.core.permissions import editable_call_ids

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            models.Q(submitter=user) | (models.Q(call_id__in=editable_call_ids(user)) & ~models.Q(status="draft"))
        )
