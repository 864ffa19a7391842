from __future__ import annotations

from django.db import models


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def visible_to(self, user):
        """Published practices for everyone; drafts and proposals for catalogue editors and proposers."""
        from samspill.core.permissions import is_catalogue_editor

        if getattr(user, "is_superuser", False) or is_catalogue_editor(user):
            return self.all()
        if getattr(user, "is_authenticated", False):
            return self.filter(models.Q(status="published") | models.Q(proposed_by=user))
        return self.published()
