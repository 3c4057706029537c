"""The English catalogue is complete: every message of the templates and Python code is there,
translated, not fuzzy, compiled, and keeps its placeholders and the product's fixed terms.

To fix a failure, from the project root:
    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests \
        --ignore=test-artifacts
then translate the new or fuzzy entries in locale/en/LC_MESSAGES/django.po and run
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FIX = (
    "run `.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var "
    "--ignore=tests --ignore=test-artifacts`, translate the entries in "
    "locale/en/LC_MESSAGES/django.po, then `manage.py compilemessages`"
)
# Not sources of messages (the same list as the command above, plus tool folders).
NOT_SOURCES = (
    ".venv",
    "var",
    "tests",
    "test-artifacts",
    "locale",
    "static",
    ".git",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "build",
    "*.egg-info",
)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{context}{self.msgid!r}"


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The live entries of a PO file (not the header, not obsolete ``#~`` ones)."""
    entries: list[Entry] = []
    entry, last = Entry(), None

    def finish():
        nonlocal entry, last
        if last is not None:
            entries.append(entry)
        entry, last = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
            continue
        if line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = last, line
        else:
            if keyword in ("msgctxt", "msgid") and last not in (None, "msgctxt"):
                finish()
            last = keyword
        text = ast.literal_eval(rest)
        if keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        elif keyword == "msgid":
            entry.msgid += text
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        elif keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
    finish()
    return {e.key: e for e in entries if e.msgid}


@pytest.fixture(scope="module")
def catalogue() -> dict[tuple[str | None, str], Entry]:
    return read_po(PO)


def test_every_message_in_templates_and_code_is_in_the_english_catalogue(
    tmp_path, settings, monkeypatch, catalogue
):
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip(
            "GNU gettext (xgettext) is not installed, so the catalogue cannot be regenerated: "
            "install it with `apt-get install gettext`"
        )
    # Regenerate from a copy of the sources, so the real locale/ is never written to.
    sources = tmp_path / "src"
    shutil.copytree(ROOT, sources, ignore=shutil.ignore_patterns(*NOT_SOURCES))
    settings.LOCALE_PATHS = [str(sources / "locale")]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["en"], verbosity=0)
    fresh = read_po(sources / "locale" / "en" / "LC_MESSAGES" / "django.po")

    assert len(fresh) > 100, "makemessages found suspiciously few messages"
    missing = sorted(e.label() for key, e in fresh.items() if key not in catalogue)
    assert not missing, f"{len(missing)} messages missing from {PO.name}; {FIX}:\n" + "\n".join(
        missing
    )
    # A plural message must stay plural (and the other way round).
    changed = sorted(
        e.label()
        for key, e in fresh.items()
        if (e.msgid_plural is None) != (catalogue[key].msgid_plural is None)
    )
    assert not changed, f"singular/plural changed; {FIX}:\n" + "\n".join(changed)


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    problems = []
    for entry in catalogue.values():
        forms = 2 if entry.msgid_plural is not None else 1
        if entry.fuzzy:
            problems.append(f"fuzzy: {entry.label()}")
        elif any(not entry.msgstr.get(i, "").strip() for i in range(forms)):
            problems.append(f"untranslated: {entry.label()}")
    assert not problems, f"{len(problems)} entries need a translation; {FIX}:\n" + "\n".join(
        sorted(problems)
    )


def test_translations_keep_their_placeholders(catalogue):
    problems = []
    for entry in catalogue.values():
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for index, source in enumerate(sources):
            translation = entry.msgstr.get(index, "")
            if translation and sorted(_PLACEHOLDER.findall(source)) != sorted(
                _PLACEHOLDER.findall(translation)
            ):
                problems.append(f"{entry.label()} → {translation!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_fixed_terms_stay_as_they_are(catalogue):
    assert catalogue[(None, "SOP Aplikasi")].msgstr[0] == "SOP Aplikasi"
    lost = [
        e.label()
        for e in catalogue.values()
        if "Perangkat Daerah" in e.msgid
        and not all("Perangkat Daerah" in s for s in e.msgstr.values())
    ]
    assert not lost, '"Perangkat Daerah" must stay untranslated in:\n' + "\n".join(lost)


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo the server loads holds every translation of the .po (compilemessages was run)."""
    compiled = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for entry in catalogue.values():
        if entry.fuzzy or not entry.msgstr.get(0):
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if compiled._catalog.get(msgid) != entry.msgstr[0]:
                stale.append(entry.label())
        elif compiled._catalog.get((msgid, 1)) != entry.msgstr.get(1):
            stale.append(entry.label())
    assert not stale, f"{MO.name} is out of date; run `manage.py compilemessages`:\n" + "\n".join(
        stale
    )
