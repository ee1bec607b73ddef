"""Damaged and hostile spreadsheets for the importer fuzz tests, and a way to read one safely.

The seeds are real files as Régul's own samples write them (a hospital's messy requests
workbook, a tidy requests CSV, an establishments workbook); the mutations are what storage,
mail gateways and ill-meaning senders do to such files: bytes flipped, inserted, deleted, the
file cut short, one part of the zip damaged or replaced, the XML inside made absurd (a sheet
declaring a million rows by sixteen thousand columns, a row numbered in the billions, a huge
shared string, entity expansion), a CSV in another encoding, with NUL bytes, an unclosed
quote or a line of megabytes.

:func:`read_outcome` runs in a worker process so that a test can wait for it with a timeout:
an importer that hangs shows as a failure instead of a CI job that never ends.
"""

import codecs
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from importers.columns import TableKind, header_score
from importers.errors import UnusableFileError
from importers.readers import read_table
from importers.samples import write_establishments, write_messy_requests, write_tidy_requests
from importers.synthetic import generate_day


@dataclass(frozen=True)
class Seed:
    name: str
    kind: TableKind
    suffix: str
    data: bytes = field(repr=False)


DAY = generate_day(date(2026, 11, 24), requests=12, seed=3)


@cache
def seeds(folder: Path) -> tuple[Seed, ...]:
    """The real files mutations start from, written once in ``folder``."""
    day = DAY
    messy = write_messy_requests(day, folder / "demandes.xlsx").path
    tidy = write_tidy_requests(day, folder / "demandes.csv").path
    sites = write_establishments(day, folder / "etablissements.xlsx").path
    return (
        Seed("demandes.xlsx", TableKind.REQUESTS, ".xlsx", messy.read_bytes()),
        Seed("demandes.csv", TableKind.REQUESTS, ".csv", tidy.read_bytes()),
        Seed("etablissements.xlsx", TableKind.ESTABLISHMENTS, ".xlsx", sites.read_bytes()),
    )


@dataclass(frozen=True)
class Outcome:
    refused: str | None  # the message, when the file is refused as unusable
    headers: tuple[str, ...] = ()
    rows: int = 0


def read_outcome(path: str, kind: str) -> Outcome:
    """What reading the file gives; any exception other than a refusal reaches the caller
    (with its traceback) as the bug it is."""
    try:
        table = read_table(Path(path), lambda headers: header_score(headers, TableKind(kind)))
    except UnusableFileError as exc:
        return Outcome(str(exc))
    return Outcome(None, table.headers, len(table.rows))


# --- byte-level mutations ---------------------------------------------------------------------


def flip(data: bytes, at: int, value: int) -> bytes:
    if not data:
        return data
    at %= len(data)
    return data[:at] + bytes([value]) + data[at + 1 :]


def insert(data: bytes, at: int, chunk: bytes) -> bytes:
    at %= len(data) + 1
    return data[:at] + chunk + data[at:]


def delete(data: bytes, at: int, length: int) -> bytes:
    at %= len(data) + 1
    return data[:at] + data[at + length :]


def truncate(data: bytes, at: int) -> bytes:
    return data[: at % (len(data) + 1)]


# --- zip and XML mutations --------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"


def parts(workbook: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def with_part(workbook: bytes, name: str, body: bytes | None) -> bytes:
    """The workbook with one part replaced (or removed, for None)."""
    members = parts(workbook)
    if body is None:
        members.pop(name, None)
    else:
        members[name] = body
    return rezip(members)


def bomb(workbook: bytes, uncompressed: int) -> bytes:
    """The workbook whose sheet is padded with blanks up to ``uncompressed`` bytes: a few
    hundred kilobytes on disk."""
    members = parts(workbook)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            if name != SHEET:
                archive.writestr(name, body)
                continue
            with archive.open(name, "w", force_zip64=True) as part:
                head, tail = body.split(b"<sheetData>", 1)
                part.write(head + b"<sheetData>")
                blanks = b" " * (1024 * 1024)
                for _ in range(uncompressed // len(blanks)):
                    part.write(blanks)
                part.write(tail)
    return buffer.getvalue()


def sheet_xml(workbook: bytes) -> bytes:
    return parts(workbook)[SHEET]


XML_TWISTS: tuple[tuple[bytes, bytes], ...] = (
    # (a pattern to find in the sheet's XML, what to put instead)
    (rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"'),
    (b'<row r="', b'<row r="99999999999'),
    (b'<row r="', b'<row r="-1'),
    (b'<c r="', b'<c r="XFD'),
    (b'<c r="', b'<c r="ZZZZZZ'),
    (b'<c r="', b'<c r="A0'),
    (b"<v>", b"<v>1e999999"),
    (b"<v>", b"<v>NaN"),
    (b't="s"', b't="e"'),
    (b't="s"', b't="d"'),
    (b't="s"', b't="b"'),
    (b't="s"', b't="n"'),
    (b"<sheetData>", b"<sheetData>" + b"<row>" * 5000),
    (b"<sheetData>", b'<sheetData><row r="3000000"><c r="A3000000"><v>1</v></c></row>'),
    (b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
     b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
     b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">'
     b"]><worksheet"),
    (b"<sheetData>", b'<sheetData><!DOCTYPE x SYSTEM "file:///etc/passwd">'),
    (b"</sheetData>", b"</sheetData></sheetData>"),
    (b"<sheetData>", b"<sheetData/>"),
    (b"<", b"<\x00"),
    (b"<v>", b"<v>" + b"9" * 5000),
    (b'<is><t>', b'<is><t>' + b"x" * 40_000),
)  # fmt: skip


def twist_xml(xml: bytes, pattern: bytes, replacement: bytes, occurrence: int) -> bytes:
    """``xml`` with the ``occurrence``-th (modulo their count) match of ``pattern`` replaced,
    or ``replacement`` added at the end when nothing matches."""
    matches = list(re.finditer(pattern, xml))
    if not matches:
        return xml + replacement
    start, end = matches[occurrence % len(matches)].span()
    return xml[:start] + replacement + xml[end:]


# --- text mutations for CSV -------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be",
             "utf-32", "mac_roman", "cp850")  # fmt: skip
TEXT_TWISTS: tuple[bytes, ...] = (
    b'"',
    b'"unclosed;',
    b"\x00",
    b"\r",
    b"\n\n\n",
    b";" * 5000,
    b"x" * 200_000,
    b'"' + b"y" * 200_000 + b'"',
    b"\xff\xfe",
    codecs.BOM_UTF8,
    b"\xc3\x28",
    b"=cmd|' /C calc'!A0",
    b"\xe2\x80\xae",
)


def reencode(data: bytes, encoding: str) -> bytes:
    """The seed CSV (Windows-1252, as Excel writes it in France) in another encoding."""
    return data.decode("cp1252").encode(encoding, errors="replace")
