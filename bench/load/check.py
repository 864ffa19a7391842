"""After a drill: what the clients saw succeed, held against the database and the mailbox.

    python -m bench.load.check JOURNAL_JSON MAILBOX_LOG [MAILBOX_LOG ...]

Prints one JSON object (the last line of output). The journal is what bench.load.locustfile
recorded: for every submission answered with 2xx its idempotency key and reference number;
for every sign-up answered with 2xx its id. The mailbox is the task worker's output (the
console e-mail backend), where every receipt sent shows its reference number once, on the
line ``Referansenummer: INN-…`` of the body (the subject is folded and encoded).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db.models import Count  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from samspill.calls.models import Submission  # noqa: E402

REFERENCE = re.compile(r"INN-\d{4}-\d{4,8}")


def receipts_in(mailboxes: list[Path]) -> Counter[str]:
    sent: Counter[str] = Counter()
    for path in mailboxes:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("Referansenummer:"):
                match = REFERENCE.search(line)
                if match:
                    sent[match.group(0)] += 1
    return sent


def check_submissions(journal: dict[str, Any], mailboxes: list[Path], prefix: str) -> dict[str, Any]:
    seen = {entry["key"]: entry for entry in journal["submissions"]}
    rows = {
        str(row["form_token"]): row
        for row in Submission.objects.filter(form_token__in=list(seen)).values(
            "form_token", "reference", "status", "title", "receipt_sent_at"
        )
    }
    missing = [key for key in seen if key not in rows]
    wrong_reference = [
        key for key, entry in seen.items() if key in rows and rows[key]["reference"] != entry["reference"]
    ]
    run = Submission.objects.filter(title__startswith=prefix)
    duplicated_titles = list(run.values("title").annotate(n=Count("pk")).filter(n__gt=1).values_list("title", "n"))
    lost_keys = [entry["key"] for entry in journal["lost"]]
    unacknowledged = Submission.objects.filter(form_token__in=lost_keys).count()
    # Cut off: the load stopped while the request was on its way, so no answer was recorded.
    cut_off = [e["key"] for e in journal.get("attempted", []) if e["key"] not in seen and e["key"] not in lost_keys]
    sent_refs = [str(ref) for ref in run.exclude(reference=None).values_list("reference", flat=True)]
    mailed = receipts_in(mailboxes)
    no_receipt = sorted(ref for ref in sent_refs if mailed[ref] == 0)
    twice = sorted(ref for ref in sent_refs if mailed[ref] > 1)
    return {
        "acknowledged": len(seen),
        "acknowledged_after_retry": sum(1 for entry in seen.values() if entry["tries"] > 1),
        "replayed_200": sum(1 for entry in seen.values() if entry["status"] == 200),
        "found": len(seen) - len(missing),
        "missing": missing,
        "wrong_reference": wrong_reference,
        "rows_in_run": run.count(),
        "duplicated": duplicated_titles,
        "client_gave_up": len(lost_keys),
        "client_gave_up_but_stored": unacknowledged,
        "cut_off_by_the_end_of_the_load": len(cut_off),
        "cut_off_but_stored": Submission.objects.filter(form_token__in=cut_off).count(),
        "receipts": {
            "submissions": len(sent_refs),
            "mailed_once": sum(1 for ref in sent_refs if mailed[ref] == 1),
            "not_mailed": no_receipt,
            "mailed_more_than_once": twice,
            "receipt_sent_at_empty": run.exclude(reference=None).filter(receipt_sent_at=None).count(),
        },
    }


def check_tasks(prefix: str) -> dict[str, Any]:
    ids = set(Submission.objects.filter(title__startswith=prefix).values_list("pk", flat=True))
    statuses: Counter[str] = Counter()
    left_running = []
    for result in DBTaskResult.objects.filter(task_path="samspill.calls.tasks.send_receipt").only(
        "status", "args_kwargs", "worker_ids"
    ):
        args = (result.args_kwargs or {}).get("args") or [None]
        if args[0] not in ids:
            continue
        statuses[result.status] += 1
        if result.status == "RUNNING":
            left_running.append({"submission": args[0], "worker_ids": result.worker_ids})
    return {"receipt_tasks": dict(statuses), "left_running": left_running}


def check_signups(journal: dict[str, Any]) -> dict[str, Any]:
    if not journal["signups"]:
        return {"acknowledged": 0, "distinct": 0, "found": 0, "missing": [], "duplicated": []}
    from samspill.volunteering.models import SignUp

    ids = [entry["id"] for entry in journal["signups"]]
    found = set(SignUp.objects.filter(pk__in=ids).values_list("pk", flat=True))
    fields = {f.name for f in SignUp._meta.get_fields()}
    person = "user" if "user" in fields else "volunteer"
    dupes = list(
        SignUp.objects.filter(status__in=["pending", "confirmed", "waitlisted"], **{f"{person}__isnull": False})
        .values(person, "shift")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list(person, "shift", "n")
    )
    return {
        "acknowledged": len(ids),
        "distinct": len(set(ids)),
        "found": len(found),
        "missing": sorted(set(ids) - found),
        "duplicated": dupes,
    }


def main() -> None:
    journal = json.loads(Path(sys.argv[1]).read_text())
    mailboxes = [Path(p) for p in sys.argv[2:]]
    prefix = journal.get("title_prefix", "Lasttest")
    print(
        json.dumps(
            {
                "submissions": check_submissions(journal, mailboxes, prefix),
                "tasks": check_tasks(prefix),
                "signups": check_signups(journal),
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()
