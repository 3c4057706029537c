"""CSV and XLSX downloads of the tables people see.

Every text cell goes through :func:`neutralise`: a spreadsheet program must never read a
formula out of what a user typed (CSV injection). A CSV file written with commas may be opened
by a program that splits on semicolons (Excel with Indonesian regional settings) or on tabs,
and then every separator inside a value starts a new cell; quoting the value with our own
delimiter does not help once the reader uses another one.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from itertools import chain, islice
from numbers import Number

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A column of an XLSX file is as wide as its header or its longest value among the first rows
# (in characters, with a little room), within these bounds: a long description wraps in the
# spreadsheet program rather than making one column a screen wide.
WIDTH_SAMPLE_ROWS = 200
WIDTH_MIN, WIDTH_MAX = 8, 60

# Characters after which a spreadsheet program may start a new cell: the delimiters in use
# (comma, semicolon, tab) and line breaks. A cell starting with one of the formula characters
# (OWASP: = + - @ tab carriage return), possibly after blanks or quotes, is read as a formula.
_CELL_START = re.compile(r"(^|[,;\t\r\n])((?:[^\S\t\r\n]|\")*)(?=[=+\-@\t\r])")


def neutralise(value: str) -> str:
    """Put a ``'`` before every formula character that could begin a cell.

    Both at the start of the value and after every separator inside it, so that no way of
    splitting the line yields a cell that starts with ``= + - @``, a tab or a carriage return.
    """
    return _CELL_START.sub(r"\1\2'", value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Number):
        return value  # a number cannot hold a formula; negative numbers stay numbers
    return neutralise(str(value))


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    if value is None or isinstance(value, Number) or hasattr(value, "isoformat"):
        return WriteOnlyCell(sheet, value=value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", neutralise(str(value)))
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl turns a string starting with "=" into a formula and "#N/A" into an error:
    # a value typed by a user is always plain text.
    cell.data_type = "s"
    return cell


def _header_cell(sheet, header) -> WriteOnlyCell:
    cell = _xlsx_cell(sheet, str(header))
    cell.font = Font(bold=True)
    return cell


def _shown_length(value) -> int:
    """About how many characters a spreadsheet program shows for ``value`` on one line."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("2026-01-31 12:00:00")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _column_widths(headers: Sequence, rows: Sequence[Sequence]) -> list[int]:
    widths = []
    for index, header in enumerate(headers):
        longest = max([_shown_length(header)] + [_shown_length(row[index]) for row in rows])
        widths.append(min(max(longest + 2, WIDTH_MIN), WIDTH_MAX))
    return widths


def table_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        # A write-only sheet takes its column widths before the first row.
        remaining = iter(rows)
        first = list(islice(remaining, WIDTH_SAMPLE_ROWS))
        for index, width in enumerate(_column_widths(headers, first), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"  # the header row stays in view while scrolling
        sheet.append([_header_cell(sheet, h) for h in headers])
        for row in chain(first, remaining):
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            buffer.getvalue(), content_type=XLSX_TYPE
        )
    else:
        # Every text field is quoted; numbers are left bare so that they stay numbers.
        writer = csv.writer(_Echo(), quoting=csv.QUOTE_NONNUMERIC)

        def stream():
            yield "\ufeff"  # lets spreadsheet programs read UTF-8
            yield writer.writerow([_csv_cell(str(h)) for h in headers])
            for row in rows:
                yield writer.writerow([_csv_cell(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
