"""The users of the deadline: people browsing the catalogue, organisations submitting in the
call's last hour, volunteers signing up for shifts.

Used by ``bench.load.run`` and ``bench.load.drill`` (in-process, through locust's library
API); it also works with the locust command line, for a look at one load by hand:

    .venv/bin/locust -f bench/load/locustfile.py --headless -u 20 -r 5 -t 30s \\
        --host http://127.0.0.1:8431

Every request carries ``X-Forwarded-Proto: https``, as the TLS-terminating proxy in front of
gunicorn would add (see bench/load/common.py). The fixtures (API key, sessions, what to
browse) come from ``var/load/fixtures.json``, written by ``bench.load.setup``.

What the clients saw succeed is kept in ``JOURNAL`` so the drill can check it against the
database afterwards: for each submission its idempotency key, the reference number in the
2xx answer and how many tries it took; for each sign-up its id.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from typing import Any

from locust import User, between, events, task
from locust.contrib.fasthttp import FastHttpUser

from bench.load.common import FIXTURES

FORWARDED = {"X-Forwarded-Proto": "https"}
# A client retries a submission whose answer it did not get (connection refused or reset, 5xx),
# with the same Idempotency-Key, up to this many tries in all.
SUBMIT_TRIES = 8
SUBMIT_RETRY_PAUSE = 1.0

JOURNAL: dict[str, list[dict[str, Any]]] = {"attempted": [], "submissions": [], "signups": [], "lost": []}
_fixtures: dict[str, Any] | None = None


def fixtures() -> dict[str, Any]:
    global _fixtures
    if _fixtures is None:
        _fixtures = json.loads(FIXTURES.read_text())
    return _fixtures


def reset_journal() -> None:
    for entries in JOURNAL.values():
        entries.clear()


class CatalogueVisitor(FastHttpUser):
    """Someone looking for good practices before writing their own submission."""

    weight = 6
    wait_time = between(1, 4)
    default_headers = FORWARDED

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/eksempler/", name="/eksempler/")

    @task(4)
    def search(self) -> None:
        word = random.choice(fixtures()["words"])
        self.client.get(f"/eksempler/?q={word}", name="/eksempler/?q=[word]")

    @task(3)
    def facets(self) -> None:
        f = fixtures()
        params = [f"tema={random.choice(f['themes'])}"]
        if random.random() < 0.5:
            params.append(f"fylke={random.choice(f['counties'])}")
        if random.random() < 0.3:
            params.append(f"malgruppe={random.choice(f['target_groups'])}")
        if random.random() < 0.3:
            params.append(f"q={random.choice(f['words'])}")
        self.client.get("/eksempler/?" + "&".join(params), name="/eksempler/?[facets]")

    @task(5)
    def practice(self) -> None:
        slug = random.choice(fixtures()["practices"])
        self.client.get(f"/eksempler/{slug}/", name="/eksempler/[slug]/")

    @task(2)
    def call_page(self) -> None:
        self.client.get(f"/innspill/{fixtures()['call']['slug']}/", name="/innspill/[slug]/")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="/")


def submission_body(title: str) -> dict[str, Any]:
    f = fixtures()
    return {
        "title": title,
        "summary": "Frivillige og kommunen samarbeider om faste besøk og aktiviteter for eldre.",
        "what": "Vi har bygget opp en besøkstjeneste med faste frivillige og en koordinator i kommunen.",
        "why": "For å redusere ensomhet.",
        "how": "Ukentlige besøk, opplæring av frivillige og jevnlige samlinger.",
        "themes": random.sample(f["call"]["themes"], k=random.randint(1, 2)),
        "municipality": random.choice(f["municipalities"]),
        "target_groups": random.sample(f["target_groups"], k=1),
        "contact_name": "Lasttest Kontakt",
        "contact_email": "kontakt@load.samspill.test",
        "consent_to_publish": random.random() < 0.8,
    }


class DeadlineSubmitter(FastHttpUser):
    """An organisation's system sending a submission through the API in the call's last hour.

    It reads the call, then posts one complete submission with an Idempotency-Key. When it
    gets no answer, or a 5xx, it tries again with the same key, as the API documentation
    tells clients to: a retry of a submission that did get through returns it with 200.
    """

    weight = 3
    wait_time = between(2, 6)
    default_headers = FORWARDED

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Bearer {fixtures()['api_key']}"}

    @task
    def submit(self) -> None:
        slug = fixtures()["call"]["slug"]
        self.client.get(f"/api/v1/calls/{slug}", name="/api/v1/calls/[slug]")
        key = str(uuid.uuid4())
        title = f"{fixtures()['title_prefix']} {key}"
        body = submission_body(title)
        statuses: list[int] = []
        JOURNAL["attempted"].append({"key": key})
        for attempt in range(1, SUBMIT_TRIES + 1):
            with self.client.post(
                f"/api/v1/calls/{slug}/submissions",
                json=body,
                headers={**self.auth, "Idempotency-Key": key},
                name="/api/v1/calls/[slug]/submissions",
                catch_response=True,
            ) as response:
                statuses.append(response.status_code)
                if response.status_code in (200, 201):
                    answer = response.json()
                    JOURNAL["submissions"].append(
                        {
                            "key": key,
                            "reference": answer["reference"],
                            "status": response.status_code,
                            "tries": attempt,
                            "statuses": statuses,
                        }
                    )
                    response.success()
                    return
                if response.status_code and response.status_code < 500:
                    response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                    JOURNAL["lost"].append({"key": key, "statuses": statuses, "final": "refused"})
                    return
                response.failure(f"no answer or {response.status_code}; will retry with the same key")
            time.sleep(SUBMIT_RETRY_PAUSE * attempt)
        JOURNAL["lost"].append({"key": key, "statuses": statuses, "final": "gave up"})


class ShiftVolunteer(FastHttpUser):
    """A logged-in volunteer looking at a shift and signing up for it.

    Disabled (weight 0) until the volunteering API takes sign-ups: see ``enable_signups``.
    """

    weight = 0
    wait_time = between(2, 6)
    default_headers = FORWARDED

    def on_start(self) -> None:
        f = fixtures()
        self.session_key = random.choice(f["sessions"])
        csrf = uuid.uuid4().hex  # any 32 characters do as the CSRF secret; the header repeats it
        origin = (self.host or "").replace("http://", "https://")
        self.headers = {
            "Cookie": f"{f['session_cookie']}={self.session_key}; {f['csrf_cookie']}={csrf}",
            "X-CSRFToken": csrf,
            "Origin": origin,
            "Referer": origin + "/",
        }

    @task
    def sign_up(self) -> None:
        shift = random.choice(fixtures()["shifts"])
        with self.client.post(
            fixtures()["signup_path"].replace("{id}", str(shift)),
            json={},
            headers=self.headers,
            name="/api/v1/shifts/[id]/signups",
            catch_response=True,
        ) as response:
            if response.status_code in (200, 201):
                JOURNAL["signups"].append({"id": response.json()["id"], "shift": shift, "status": response.status_code})
                response.success()
            elif response.status_code == 409:
                response.success()  # already signed up, or the shift is full: an answer, not an error
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")


def enable_signups() -> bool:
    """Turn the volunteers on when the API takes sign-ups and there are shifts to sign up for."""
    if fixtures()["shifts"] and fixtures()["signup_path"]:
        ShiftVolunteer.weight = 2
        return True
    return False


USER_CLASSES: list[type[User]] = [CatalogueVisitor, DeadlineSubmitter, ShiftVolunteer]


@events.init.add_listener
def _on_init(environment: Any, **_kwargs: Any) -> None:
    host = environment.host or ""
    if host and not host.startswith(("http://127.0.0.1", "http://localhost", "http://[::1]")):
        raise SystemExit("The load scenario runs against loopback only.")
