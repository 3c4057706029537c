"""Locust users for the load and scale tests: each one a person of the run's script.

Run by ``tools.loadtest`` and ``tools.scale_test`` (never imported by Django code: Locust
patches the standard library with gevent). The environment says where things are:

- ``SOPAPP_LOAD_SCRIPT``: the script JSON (people, password, proposal data, sample files);
- ``SOPAPP_LOAD_HOSTS``: the base URLs of the web nodes, comma-separated; each request goes
  to the next live node in turn, and a node that refuses connections is taken as down
  (requests in flight to it are counted as such, not as application errors);
- ``SOPAPP_LOAD_DOWN``: a file listing the base URLs of nodes killed on purpose (written
  just before the kill): a connection error from one of those is "node down", any other
  connection error is an error;
- ``SOPAPP_LOAD_TALLY``: where to write what the people saw, when the run ends;
- ``SOPAPP_LOAD_THINK``: "min,max" seconds between two things a person does.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

from tools.load.people import Script, Tally, login, one_round

SCRIPT = Script.from_json(json.loads(Path(os.environ["SOPAPP_LOAD_SCRIPT"]).read_text()))
HOSTS = os.environ["SOPAPP_LOAD_HOSTS"].split(",")
THINK = tuple(float(x) for x in os.environ.get("SOPAPP_LOAD_THINK", "0.3,1.2").split(","))
DOWN: set[str] = set()
TALLY = Tally()
NODE_DOWN: Counter = Counter()
ERRORS: list[str] = []
SERVER_ERRORS: Counter = Counter()
_next_person = itertools.count()


class NodeDown(Exception):
    pass


def node_is_down(host: str) -> bool:
    """A connection error came back: was that node killed on purpose (the run lists the
    nodes it kills in SOPAPP_LOAD_DOWN before it kills them)?"""
    listed = os.environ.get("SOPAPP_LOAD_DOWN")
    return bool(listed) and Path(listed).exists() and host in Path(listed).read_text().split()


class Person(HttpUser):
    host = HOSTS[0]
    wait_time = between(*THINK)

    def on_start(self) -> None:
        number = next(_next_person)
        if number >= len(SCRIPT.people):
            self.username, self.role = None, None
            self.stop()
            return
        self.username, self.role = SCRIPT.people[number]
        self.turn = number
        for _attempt in range(3):
            try:
                login(self, self.username, SCRIPT.password)
                return
            except NodeDown:
                continue
        self.stop()

    # --- the browser interface of tools.load.people ---------------------------------------

    def _send(self, method: str, path: str, label: str, **kwargs) -> tuple[int, dict, str]:
        alive = [h for h in HOSTS if h not in DOWN] or HOSTS
        self.turn += 1
        host = alive[self.turn % len(alive)]
        # Production mode keeps its cookies ``Secure`` without TLS on loopback; browsers send
        # them to localhost anyway, requests does not: send the session's cookies ourselves.
        jar = self.client.cookies
        headers = {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar)} if jar else {}
        with self.client.request(
            method,
            host + path,
            name=label,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            if response.error is not None and node_is_down(host):
                DOWN.add(host)
                NODE_DOWN[host] += 1
                response.success()  # the node was killed: not the application's failure
                raise NodeDown(host)
            if response.status_code >= 500:
                SERVER_ERRORS[f"{method} {label}: {response.status_code}"] += 1
                response.failure(f"{response.status_code}")
            elif response.error is not None:
                ERRORS.append(f"{method} {path}: {response.error}")
                response.failure(str(response.error))
            else:
                response.success()
            return response.status_code, dict(response.headers), response.text

    def get(self, path: str, label: str) -> tuple[int, dict, str]:
        return self._send("GET", path, label)

    def post(self, path, label, fields, files=None) -> tuple[int, dict, str]:
        return self._send("POST", path, label, data=fields, files=files)

    @task
    def work(self) -> None:
        if self.username is None:
            return
        try:
            one_round(self, SCRIPT, TALLY, self.role)
        except NodeDown:
            pass
        except Exception as exc:
            ERRORS.append(f"{self.username}: {type(exc).__name__}: {exc}")


@events.quitting.add_listener
def write_tally(environment, **_kwargs) -> None:
    total = environment.stats.total
    result = {
        "taken": {str(k): v for k, v in TALLY.taken.items()},
        "outcomes": dict(TALLY.outcomes),
        "node_down": dict(NODE_DOWN),
        "errors": ERRORS[:50],
        "error_count": len(ERRORS),
        "server_errors": dict(SERVER_ERRORS),
        "requests": total.num_requests,
        "seconds": round(total.last_request_timestamp - total.start_time, 1)
        if total.last_request_timestamp
        else 0,
        "requests/s": round(total.total_rps, 1),
        "p50 ms": total.get_response_time_percentile(0.5),
        "p95 ms": total.get_response_time_percentile(0.95),
        "p99 ms": total.get_response_time_percentile(0.99),
        "per request": {
            name: {
                "n": entry.num_requests,
                "p50 ms": entry.get_response_time_percentile(0.5),
                "p95 ms": entry.get_response_time_percentile(0.95),
            }
            for (name, _method), entry in sorted(environment.stats.entries.items())
        },
    }
    Path(os.environ["SOPAPP_LOAD_TALLY"]).write_text(json.dumps(result, indent=2))
