"""Spreadsheet exports shared by every app: formula-injection-safe cells, streamed CSV, XLSX.

Text that customers typed ends up in cells a CX manager opens in Excel or LibreOffice. A cell that
starts with ``= + - @`` (or a tab or carriage return, which some spreadsheet programs strip before
parsing) could run as a formula, so ``neutralise_cell`` prefixes such text with an apostrophe — headers
included, since question texts are user input too (OWASP "CSV injection").
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.functional import Promise

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet could read as a formula prefixed by an apostrophe.

    Numbers, dates and None pass unchanged: only text can smuggle a formula.
    """
    if isinstance(value, Promise):
        value = str(value)  # a translated (lazy) header
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """Encode rows as UTF-8 CSV with a byte-order mark (Excel needs it to read UTF-8), one line at a time."""
    writer = csv.writer(_Echo())
    yield UTF8_BOM.encode()
    for row in rows:
        yield writer.writerow([_csv_value(neutralise_cell(v)) for v in row]).encode()


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def xlsx_file(rows: Iterable[Iterable[Any]], *, title: str = "Export"):
    """Write rows to an XLSX workbook in a temporary file (rewound) and return the file.

    openpyxl's write-only mode keeps one row in memory at a time; the file spills to disk past 10 MB.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                # Control characters are not allowed in XLSX; respondents' text may contain them. Strip
                # them first, so "\x01=cmd" cannot turn into a formula after neutralising.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cells.append(neutralise_cell(value))
        sheet.append(cells)
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - the caller streams and closes it
    workbook.save(out)
    out.seek(0)
    return out
