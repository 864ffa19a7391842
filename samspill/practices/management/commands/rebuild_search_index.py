from __future__ import annotations

from django.core.management.base import BaseCommand

from samspill.practices.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the search index of the catalogue of good practices from the published practices."

    def handle(self, *args, **options) -> None:
        count = rebuild_index()
        self.stdout.write(f"Indexed {count} published practices.")
