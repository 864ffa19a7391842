from __future__ import annotations

from django.db import models

from samspill.core.text import fold


class PlaceQuerySet(models.QuerySet):
    def alphabetical(self):
        return self.order_by("name_sort")

    def matching(self, query: str):
        """Names containing ``query``, case-insensitive for æ, ø and å too."""
        return self.filter(name_folded__contains=fold(query)) if query.strip() else self
