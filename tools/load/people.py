"""What each simulated person does, through the web pages only.

Plain Python over a small browser interface (``get``/``post`` returning status, headers
and text), so the same people work in the Locust load test and the multi-node scale test.
Nothing here imports Django: what the people need from the application's code (proposal
data, sample files, which documents a step requires) comes in the run's *script*, a JSON
file written by ``tools.load.prepare`` in a Django process.

- pemohon create proposals (with the scanned letter and the KAK/TOR), submit them, answer
  what waits for their unit (completion, agreement to a design), browse their list;
- Kasi, Kabid and Kepala Dinas open their inbox and take the step in front of them
  (receive, forward, decide, check the report), now and then look at the dashboard;
- Prakom staff upload the documents their step needs, schedule the presentation and the
  socialisation with the unit's users, and finish the step;
- now and then anyone downloads a document of a proposal they may see.
Several people of one role share an inbox, so they race for the same proposal, as in an
office; the loser gets "already handled", which is counted, not an error.
"""

from __future__ import annotations

import base64
import random
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROPOSAL_LINK = re.compile(r'href="/usulan/(\d+)/"')
ACTION_FORM = re.compile(r'action="/usulan/(\d+)/aksi/([a-z_]+)/"')
ALERT = re.compile(r'class="alert alert-(success|warning|danger|info)')
SCHEDULE_FORM = re.compile(r'action="/usulan/(\d+)/jadwal/([a-z]+)/"')
INVITEE = re.compile(r'name="invitees"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="invitees"')
DOWNLOAD = re.compile(r'href="(/usulan/\d+/(?:dokumen|dokumen-resmi)/\d+/(?:unduh/)?)"')
SELECT = r'name="{name}"[^>]*>(.*?)</select>'
OPTION = re.compile(r'<option value="(\d+)"')
INCOMPLETE = "belum dapat diselesaikan"
rng = random.Random()  # noqa: S311 (choices of simulated people, not secrets)

# Prefer moving forward; now and then send something back, as real reviewers do.
PREFERENCE = {
    "decide_not_needed": 0.1,
    "decide_use_existing": 0.05,
    "kasi_return_to_unit": 0.1,
    "kabid_return_to_kasi": 0.05,
    "kabid_return_to_unit": 0.05,
    "unit_request_changes": 0.2,
    "request_another_round": 0.15,
    "kasi_return": 0.15,
    "kabid_return": 0.1,
    "kadis_return": 0.1,
}


class Browser(Protocol):
    def get(self, path: str, label: str) -> tuple[int, dict, str]: ...

    def post(
        self, path: str, label: str, fields: dict, files: dict | None = None
    ) -> tuple[int, dict, str]: ...


@dataclass
class Tally:
    """What the people saw, to be compared with the database after the run."""

    taken: Counter = field(default_factory=Counter)  # proposal id -> transitions seen done
    outcomes: Counter = field(default_factory=Counter)

    def count(self, what: str, proposal: int | None = None) -> None:
        self.outcomes[what] += 1
        if what == "transition" and proposal is not None:
            self.taken[proposal] += 1


@dataclass
class Script:
    """The run's data, from ``tools.load.prepare.write_script``."""

    password: str
    people: list[tuple[str, str]]
    proposal: dict
    letter: bytes
    samples: dict[str, tuple[str, bytes]]
    required: dict[str, list[str]]

    @classmethod
    def from_json(cls, data: dict) -> Script:
        return cls(
            password=data["password"],
            people=[tuple(p) for p in data["people"]],
            proposal=data["proposal"],
            letter=base64.b64decode(data["letter"]),
            samples={k: (n, base64.b64decode(c)) for k, (n, c) in data["samples"].items()},
            required=data["required"],
        )


def token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def login(browser: Browser, username: str, password: str) -> None:
    _status, _headers, page = browser.get("/masuk/", "GET login")
    status, _headers, _page = browser.post(
        "/masuk/",
        "POST login",
        {"csrfmiddlewaretoken": token(page), "username": username, "password": password},
    )
    if status != 302:
        raise RuntimeError(f"login of {username} answered {status}")


def action_fields(name: str, page: str) -> dict:
    """What a person fills in for transition ``name`` (as the workflow's own forms ask)."""
    today = time.strftime("%Y-%m-%d")
    people = "Siti Rahmawati; Dinas Kesehatan; Kasubbag\nAndi Pratama; Diskominfo; Prakom"
    values = {
        "receive": {
            "agenda_number": f"AG-{rng.randint(1, 9999)}",
            "received_date": today,
            "sifat": "biasa",
            "study_notes": "Lengkap.",
            "letter_signed": "on",
            "tor_attached": "on",
            "hosting": "pdd",
        },
        "forward_to_kabid": {"instructions": ["proses_lanjut"], "note": "Mohon diproses."},
        "forward_to_kadis": {"instructions": ["mohon_keputusan"], "note": ""},
        "decide_needed": {"reason": "Mendukung SPBE."},
        "decide_not_needed": {"reason": "Sudah ada Aplikasi Umum."},
        "decide_use_existing": {"reason": "Aplikasi yang ada mencukupi."},
        "request_agreement": {"note": "Mohon tanggapan atas rancangan."},
        "unit_agree": {"points": ""},
        "unit_request_changes": {"points": "Tambahkan ekspor data."},
        "resubmit": {"completion_note": "Sudah dilengkapi."},
        "finish_design": {"summary": "Struktur data, alur, antarmuka."},
        "record_presentation": {
            "held_on": today,
            "place": "Ruang Rapat",
            "attendees": people,
            "points_raised": "Tambah ekspor.",
        },
        "accept_review": {"requested_changes": "Ekspor.", "changes_made": "Ditambahkan."},
        "request_another_round": {"requested_changes": "Alur.", "changes_made": "Diubah."},
        "submit_report": {
            "summary": "Selesai dibangun.",
            "manual_version": "1.0",
            "application_url": "https://contoh.go.id",
            "source_repository": "git.contoh.go.id/aplikasi",
            "version": "1.0",
            "hosting": "pdd",
        },
        "finish_socialisation": {
            "held_on": today,
            "place": "Aula",
            "participants": people,
            "material": "Penggunaan.",
            "handed_address": "on",
            "handed_source": "on",
            "handed_documentation": "on",
        },
    }.get(name, {"note": "Perbaiki bab pengujian." if name.endswith("_return") else ""})
    if "_return_to_" in name:
        values = {"missing": "Lampirkan KAK/TOR yang ditandatangani."}
    choices = {"decide_needed": "prakom", "decide_use_existing": "application"}
    choices |= {"finish_socialisation": "receiver"}
    if name in choices:
        select = re.search(SELECT.format(name=f"{name}-{choices[name]}"), page, re.S)
        options = OPTION.findall(select.group(1)) if select else []
        values[choices[name]] = rng.choice(options) if options else ""
    if name in ("record_presentation", "finish_socialisation"):  # the invited who came
        values["attended"] = re.findall(rf'name="{name}-attended" value="(\d+)"', page)
    return {f"{name}-{key}": value for key, value in values.items()}


def schedule_meeting(browser: Browser, tally: Tally, proposal: int, page: str) -> str:
    """Prakom schedules the presentation or socialisation the page offers; the page after."""
    forms = [kind for pk, kind in SCHEDULE_FORM.findall(page) if int(pk) == proposal]
    if not forms:
        return page
    invitees = [a or b for a, b in INVITEE.findall(page)]
    fields = {
        "csrfmiddlewaretoken": token(page),
        "date": time.strftime("%Y-%m-%d"),
        "time": "09:00",
        "place": "Ruang Rapat Diskominfo",
        "agenda": "Pembahasan.",
        "invitees": invitees,
    }
    status, _h, _answer = browser.post(
        f"/usulan/{proposal}/jadwal/{forms[0]}/", "POST schedule meeting", fields
    )
    tally.count("meeting scheduled" if status == 302 else f"schedule answered {status}")
    _status, _h, page = browser.get(f"/usulan/{proposal}/", "GET proposal")
    return page


def choose(actions: list[str]) -> str:
    weights = [PREFERENCE.get(a, 1.0) for a in actions]
    return rng.choices(actions, weights)[0]


def take_a_step(browser: Browser, script: Script, tally: Tally, proposal: int) -> None:
    detail = f"/usulan/{proposal}/"
    _status, _h, page = browser.get(detail, "GET proposal")
    actions = [name for pk, name in ACTION_FORM.findall(page) if int(pk) == proposal]
    if not actions:
        return
    name = choose(actions)
    if name in ("record_presentation", "finish_socialisation"):
        page = schedule_meeting(browser, tally, proposal, page)
    revision = re.search(rf'name="{name}-revision" value="(\d+)"', page)
    fields = {"csrfmiddlewaretoken": token(page), f"{name}-revision": revision.group(1)}
    fields |= action_fields(name, page)
    url = f"/usulan/{proposal}/aksi/{name}/"
    status, _h, answer = browser.post(url, "POST action", fields)
    if status == 200 and INCOMPLETE in answer:
        for kind in script.required.get(name, ()):  # the step needs its documents first
            upload_fields = {"csrfmiddlewaretoken": token(answer), "kind": kind, "note": ""}
            browser.post(
                f"/usulan/{proposal}/unggah/",
                "POST upload",
                upload_fields,
                {"file": script.samples[kind]},
            )
        _status, _h, page = browser.get(detail, "GET proposal")
        fields["csrfmiddlewaretoken"] = token(page)
        status, _h, answer = browser.post(url, "POST action", fields)
    if status != 302:
        tally.count(f"action answered {status}")
        return
    _status, _h, page = browser.get(detail, "GET proposal")
    kind = ALERT.search(page)
    if kind and kind.group(1) == "success":
        tally.count("transition", proposal)
    elif kind and kind.group(1) == "warning":
        tally.count("refused: already handled")
    else:
        tally.count("action without message")


def pemohon_round(browser: Browser, script: Script, tally: Tally) -> None:
    if rng.random() < 0.3:
        _s, _h, page = browser.get("/usulan/baru/", "GET new proposal")
        fields = {"csrfmiddlewaretoken": token(page)}
        fields |= script.proposal | {"app_name": f"Aplikasi Uji {uuid.uuid4().hex[:6]}"}
        status, headers, _page = browser.post(
            "/usulan/baru/",
            "POST new proposal",
            fields,
            {"letter_file": ("surat.pdf", script.letter), "kak_file": script.samples["kak_tor"]},
        )
        if status != 302:
            tally.count(f"create answered {status}")
            return
        tally.count("proposal created")
        proposal = int(re.search(r"/usulan/(\d+)/", headers["Location"]).group(1))
        take_a_step(browser, script, tally, proposal)  # submit it
        return
    if rng.random() < 0.5:  # what waits for the unit: completion, agreement to a design
        _s, _h, page = browser.get("/kotak-masuk/", "GET inbox")
        ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
        if ids:
            take_a_step(browser, script, tally, rng.choice(ids[:10]))
            return
    _s, _h, page = browser.get("/usulan/", "GET list")
    ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
    if ids:
        browser.get(f"/usulan/{rng.choice(ids)}/", "GET proposal")


def official_round(browser: Browser, script: Script, tally: Tally, role: str) -> None:
    _s, _h, page = browser.get("/kotak-masuk/", "GET inbox")
    ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
    if ids:
        take_a_step(browser, script, tally, rng.choice(ids[:10]))
    elif role in ("kasi", "kabid", "kadis") and rng.random() < 0.5:
        browser.get("/dasbor/", "GET dashboard")
    else:
        browser.get("/usulan/", "GET list")


def download_something(browser: Browser, tally: Tally) -> None:
    _s, _h, page = browser.get("/usulan/", "GET list")
    ids = [int(pk) for pk in PROPOSAL_LINK.findall(page)]
    if not ids:
        return
    _s, _h, page = browser.get(f"/usulan/{rng.choice(ids)}/", "GET proposal")
    links = DOWNLOAD.findall(page)
    if links:
        status, _h, _body = browser.get(rng.choice(links), "GET download")
        tally.count("download" if status == 200 else f"download answered {status}")


def one_round(browser: Browser, script: Script, tally: Tally, role: str) -> None:
    """One thing a person does between two pauses."""
    if rng.random() < 0.15:
        download_something(browser, tally)
    elif role == "pemohon":
        pemohon_round(browser, script, tally)
    else:
        official_round(browser, script, tally, role)
