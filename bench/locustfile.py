"""Locust users for the load test (run by ``python -m bench.load``, not on its own).

Each simulated user signs in with an account of its own (from the plan file that
bench/load.py writes, GOVERNANCE_LOAD_PLAN) and, with a think time between actions from
GOVERNANCE_LOAD_THINK ("MIN-MAX" seconds, drawn evenly), reads the
dashboard (the page and some of its panels, as htmx refreshes them), filters the project list
and the portfolio (htmx, as typing in the search does), updates its own milestone in place
(fetch the row's form, post it with the CSRF token and the version), saves a measurement on
the entry screen (htmx post of one row) and saves its own draft status report (a plain form
post answered by a redirect). Every request is classified "page", "htmx" or "sign-in"; the
times, failures, 409 conflicts and successful writes are written to GOVERNANCE_LOAD_RESULTS
when locust quits. Each sample says whether it was taken while users were still signing in
(the ramp) or after all of them had started (the steady state the time goals judge).
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import random
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["GOVERNANCE_LOAD_PLAN"]).read_text(encoding="utf-8"))
ACCOUNTS = iter(PLAN["users"])
PANELS = ("status", "milepaler", "gevinster", "risiko", "okonomi", "rapportering", "moter")
SEARCHES = ("felles", "arkiv", "innkjøp", "e-handel", "lønn", "kart", "drift", "post")
PORTFOLIO_FILTERS = ("fase=execution", "status=active", "sorter=navn", "fase=planning",
                     "fase=realisation&status=active", "")
HTMX = {"HX-Request": "true"}
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

THINK = tuple(float(part) for part in os.environ.get("GOVERNANCE_LOAD_THINK", "5-15").split("-"))
samples: list[tuple[str, str, float, bool, bool]] = []  # (kind, name, ms, ok, steady)
# Steady once every user has been spawned and has finished signing in.
phase = {"steady": False, "spawned": None, "signed_in": 0}
writes: Counter = Counter()
conflicts: Counter = Counter()
failures: list[str] = []


def input_value(page: str, name: str) -> str | None:
    """The value of the <input name=...> in the page, unescaped."""
    tag = re.search(r'<input[^>]*\bname="' + re.escape(name) + r'"[^>]*>', page)
    if tag is None:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, context,
            **_kwargs):
    samples.append((context.get("kind", "page"), name, response_time, exception is None,
                    phase["steady"]))
    if exception is not None:
        failures.append(f"{request_type} {name}: {exception}"[:300])


def _check_steady() -> None:
    if phase["spawned"] is not None and phase["signed_in"] >= phase["spawned"]:
        phase["steady"] = True


@events.spawning_complete.add_listener
def _all_spawned(user_count, **_kwargs):
    phase["spawned"] = user_count
    _check_steady()


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    with open(os.environ["GOVERNANCE_LOAD_RESULTS"], "w", encoding="utf-8") as handle:
        json.dump({"samples": samples, "writes": dict(writes), "conflicts": dict(conflicts),
                   "failures": failures[:50], "failure_count": len(failures)}, handle)


class SteeringUser(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        try:
            self.account = next(ACCOUNTS)
        except StopIteration:
            failures.append("more locust users than prepared accounts")
            self.stop()
            return
        self.round = 0
        self.token = ""
        self.code = self.account["code"]
        try:
            self._sign_in()
        finally:  # a failed sign-in is an error of its own; the ramp is over all the same
            phase["signed_in"] += 1
            _check_steady()

    def _sign_in(self) -> None:
        with self._get("/logg-inn", "sign-in page", "sign-in") as response:
            match = CSRF_FIELD.search(response.text)
            if match is None:
                response.failure("no CSRF token on the sign-in page")
                return
        with self._request("POST", "/logg-inn", "sign-in", "sign-in", expect=(303,), data={
                "csrf_token": match.group(1), "username": self.account["username"],
                "password": self.account["password"]}):
            pass
        with self._get("/", "start page", "page") as response:
            found = CSRF_HEADER.search(response.text)
            if found is None:
                response.failure("no CSRF token on the start page (not signed in?)")
                return
            self.token = found.group(1)

    # ---- helpers ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _request(self, method: str, path: str, name: str, kind: str, expect=(200,),
                 headers=None, **kwargs):
        """A request whose status must be one of ``expect``; 409 is a conflict (counted by
        the caller, not a success), anything else a failure."""
        with self.client.request(method, path, name=name, headers=headers,
                                 catch_response=True, allow_redirects=False,
                                 context={"kind": kind}, **kwargs) as response:
            code = response.status_code
            if code == 409:
                response.success()
            elif code not in expect:
                response.failure(f"HTTP {code} (expected {expect})")
            yield response

    def _get(self, path: str, name: str, kind: str = "page"):
        return self._request("GET", path, name, kind,
                             headers=HTMX if kind == "htmx" else None)

    def _post_htmx(self, path: str, name: str, data: dict):
        headers = {**HTMX, "X-CSRFToken": self.token}
        return self._request("POST", path, name, "htmx", headers=headers, data=data)

    # ---- what a steering-group member or project leader does ------------------------

    @task(3)
    def dashboard(self) -> None:
        with self._get(f"/prosjekter/{self.code}/dashbord", "dashboard"):
            pass
        for panel in random.sample(PANELS, 2):  # the panels' refresh after a change or poll
            with self._get(f"/prosjekter/{self.code}/dashbord/{panel}", f"panel {panel}",
                           "htmx"):
                pass

    @task(2)
    def project_search(self) -> None:
        text = random.choice(SEARCHES)
        extra = random.choice(("", "&fase=execution", "&status=active"))
        with self._get(f"/prosjekter/?q={text}{extra}", "project list filter", "htmx"):
            pass
        if random.random() < 0.2:
            with self._get("/prosjekter/", "project list"):
                pass

    @task(2)
    def portfolio_filter(self) -> None:
        query = random.choice(PORTFOLIO_FILTERS)
        with self._get(f"/portefolje/?{query}", "portfolio filter", "htmx"):
            pass
        if random.random() < 0.2:
            with self._get("/portefolje/", "portfolio"):
                pass

    @task(2)
    def milestone_update(self) -> None:
        milestone = self.account["milestone_id"]
        path = f"/prosjekter/{self.code}/milepaler/{milestone}/oppdater"
        prefix = f"m{milestone}-"
        with self._get(path, "milestone form", "htmx") as response:
            version = input_value(response.text, prefix + "version_id")
            forecast = input_value(response.text, prefix + "forecast_date")
            if not version or not forecast:
                response.failure("no version or forecast in the milestone form")
                return
        self.round += 1
        moved = date.fromisoformat(forecast) + timedelta(days=1)
        if moved > date.today() + timedelta(days=300):
            moved = date.today() + timedelta(days=30)
        with self._post_htmx(path, "milestone update", {
                prefix + "forecast_date": moved.isoformat(), prefix + "actual_date": "",
                prefix + "comment": f"Lasttest runde {self.round}",
                prefix + "version_id": version}) as response:
            if response.status_code == 409:
                conflicts["milestone"] += 1
            elif response.status_code == 200:
                if f'id="milestone-{milestone}"' not in response.text:
                    response.failure("the saved milestone row is missing")
                else:
                    writes["milestone"] += 1

    @task(2)
    def measurement_entry(self) -> None:
        entry = self.account["entry"]
        page = (f"/prosjekter/{self.code}/gevinster/registrering?organisasjon="
                f"{entry['organisation_id']}&periode={entry['period']}")
        prefix = f"i{entry['indicator_id']}-"
        with self._get(page, "measurement entry") as response:
            version = input_value(response.text, prefix + "version_id")
            if version is None:
                response.failure("the indicator's row is missing on the entry screen")
                return
        self.round += 1
        path = (f"/prosjekter/{self.code}/gevinster/registrering/{entry['organisation_id']}/"
                f"{entry['period']}/{entry['indicator_id']}")
        with self._post_htmx(path, "measurement save", {
                prefix + "value": f"{10 + self.round % 80},5",
                prefix + "comment": f"Lasttest runde {self.round}",
                prefix + "version_id": version or "0"}) as response:
            if response.status_code == 409:
                conflicts["measurement"] += 1
            elif response.status_code == 200:
                if "Lagret:" not in response.text:
                    response.failure("the saved row does not say it was saved")
                else:
                    writes["measurement"] += 1

    @task(1)
    def report_save(self) -> None:
        report = self.account["report"]
        path = f"/prosjekter/{self.code}/status/{report['period']}/{report['who']}"
        with self._get(path, "status report form") as response:
            version = input_value(response.text, "version_id")
            token = CSRF_FIELD.search(response.text)
            if not version or token is None:
                response.failure("no version or CSRF token in the report form")
                return
        self.round += 1
        data = {"csrf_token": token.group(1), "version_id": version, "action": "save",
                "overall": "green", "schedule": "yellow", "cost": "green", "quality": "green",
                "risk": "yellow", "benefits": "green",
                "overall_comment": f"Lasttest runde {self.round}",
                "override_reason": "Lasttest: vurdert av prosjektlederen.",
                "done_this_period": f"Lagret i runde {self.round}.",
                "next_period": "Mer av det samme.", "needs_decision": ""}
        with self._request("POST", path, "status report save", "page", expect=(303,),
                           data=data) as response:
            if response.status_code == 409:
                conflicts["report"] += 1
            elif response.status_code == 303:
                if not response.headers.get("Location", "").endswith(path):
                    response.failure(f"redirected to {response.headers.get('Location')}")
                else:
                    writes["report"] += 1
