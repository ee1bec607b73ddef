"""Reading hospital exports (.xlsx, .csv, .txt) into a header row and numbered data rows."""

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from importers.columns import TableKind, header_score
from importers.errors import UnusableFileError
from importers.readers import RawTable, read_table


def score(headers: Sequence[object]) -> int:
    return header_score(headers, TableKind.REQUESTS)


def read(path: Path) -> RawTable:
    return read_table(path, score)


def write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


# --- .xlsx -------------------------------------------------------------------------------------


@pytest.fixture
def bannered_workbook(tmp_path: Path) -> Path:
    """Title banner merged over A1:F1, a subtitle, a blank row, the header on row 4."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Transports"
    sheet["A1"] = "CHU de Lille — transports du 24/11/2026"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "Édité le 23/11/2026"
    for column, header in enumerate(["N° dossier", "Nom", "Prénom", "Heure RDV", "Date"], 1):
        sheet.cell(row=4, column=column, value=header)
    for column, value in enumerate(["D001", "Martin", "Léa", "08:30", "24/11/2026"], 1):
        sheet.cell(row=5, column=column, value=value)
    # row 6 left blank in the middle of the data
    sheet.cell(row=7, column=1, value="D002")
    sheet.cell(row=7, column=2, value="Durand")  # a short row: the rest is empty
    path = tmp_path / "transports.xlsx"
    workbook.save(path)
    return path


def test_xlsx_header_found_under_a_merged_banner_and_a_blank_row(bannered_workbook: Path) -> None:
    """Hospital exports put titles above the table; the real header row must still be found."""
    table = read(bannered_workbook)
    assert table.sheet == "Transports"
    assert table.header_row == 4
    assert table.headers[:5] == ("N° dossier", "Nom", "Prénom", "Heure RDV", "Date")
    assert all(h == "" for h in table.headers[5:])


def test_xlsx_rows_keep_excel_numbers_and_drop_blank_rows(bannered_workbook: Path) -> None:
    """Errors cite the row number the regulator sees in Excel; blank lines are not rows."""
    table = read(bannered_workbook)
    assert [row.number for row in table.rows] == [5, 7]
    assert table.rows[0].cells[:5] == ("D001", "Martin", "Léa", "08:30", "24/11/2026")


def test_xlsx_short_rows_are_padded_to_the_header_width(bannered_workbook: Path) -> None:
    """Every row can be indexed by any header column without an IndexError."""
    table = read(bannered_workbook)
    for row in table.rows:
        assert len(row.cells) == len(table.headers)
    assert table.rows[1].cells[:5] == ("D002", "Durand", None, None, None)


def test_xlsx_header_on_first_row(tmp_path: Path) -> None:
    """A plain table with its header on row 1 reads with data from row 2."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["IPP", "NOM", "Heure de rendez-vous"])
    sheet.append(["123", "Petit", "9h"])
    path = tmp_path / "simple.xlsx"
    workbook.save(path)
    table = read(path)
    assert table.header_row == 1
    assert table.headers == ("IPP", "NOM", "Heure de rendez-vous")
    assert [(row.number, row.cells) for row in table.rows] == [(2, ("123", "Petit", "9h"))]


# --- CSV ---------------------------------------------------------------------------------------


def test_semicolon_csv_in_windows_1252(tmp_path: Path) -> None:
    """Excel 'CSV (séparateur : point-virgule)' on Windows writes cp1252; accents must survive."""
    path = tmp_path / "export.csv"
    write_csv(
        path,
        [
            ["N° dossier", "Nom", "Prénom", "Établissement", "Heure RDV"],
            ["D001", "Lefèvre", "Hélène", "Hôpital Saint-Vincent", "08:30"],
        ],
        ";",
        "cp1252",
    )
    assert "Prénom".encode("cp1252") in path.read_bytes()  # really not UTF-8
    table = read(path)
    assert table.sheet is None
    assert table.header_row == 1
    assert table.headers == ("N° dossier", "Nom", "Prénom", "Établissement", "Heure RDV")
    assert table.rows[0].cells == ("D001", "Lefèvre", "Hélène", "Hôpital Saint-Vincent", "08:30")


def test_comma_csv_in_utf8_with_bom(tmp_path: Path) -> None:
    """A BOM must not stick to the first header, or 'N° dossier' would go undetected."""
    path = tmp_path / "export.csv"
    write_csv(
        path,
        [
            ["N° dossier", "Nom", "Prénom", "Heure RDV"],
            ["D001", "Lefèvre", "Zoé", "8h30"],
            ["D002", "Noël", "Anaïs", "9h"],
        ],
        ",",
        "utf-8-sig",
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read(path)
    assert table.headers == ("N° dossier", "Nom", "Prénom", "Heure RDV")
    assert score(table.headers) == 4
    assert [row.cells for row in table.rows] == [
        ("D001", "Lefèvre", "Zoé", "8h30"),
        ("D002", "Noël", "Anaïs", "9h"),
    ]


def test_tab_separated_txt(tmp_path: Path) -> None:
    """Some hospital systems export tab-separated .txt files."""
    path = tmp_path / "export.txt"
    write_csv(
        path,
        [["IPP", "Nom", "Commune", "Heure RDV"], ["42", "Dupont", "Roubaix, Nord", "10:00"]],
        "\t",
        "utf-8",
    )
    table = read(path)
    assert table.headers == ("IPP", "Nom", "Commune", "Heure RDV")
    assert table.rows[0].cells == ("42", "Dupont", "Roubaix, Nord", "10:00")


def test_csv_title_lines_blank_lines_and_short_rows(tmp_path: Path) -> None:
    """CSV rows keep their line numbers, skip blanks and are padded to the header width."""
    path = tmp_path / "export.csv"
    path.write_text(
        "Transports du 24/11/2026\n\nN° dossier;Nom;Prénom;Heure RDV\nD001;Martin\n;;;\n"
        "D002;Durand;Paul;9h\n",
        "utf-8",
    )
    table = read(path)
    assert table.header_row == 3
    assert [(row.number, row.cells) for row in table.rows] == [
        (4, ("D001", "Martin", None, None)),
        (6, ("D002", "Durand", "Paul", "9h")),
    ]


# --- unusable files ----------------------------------------------------------------------------


def assert_unusable(path: Path, *words: str) -> None:
    with pytest.raises(UnusableFileError) as caught:
        read(path)
    message = str(caught.value)
    assert str(path) in message, message
    for word in words:
        assert word in message, message


def test_missing_file(tmp_path: Path) -> None:
    """A mistyped path is reported with the path, not a traceback."""
    assert_unusable(tmp_path / "absent.xlsx", "introuvable")


def test_old_xls_format_asks_for_xlsx(tmp_path: Path) -> None:
    """.xls cannot be read; the regulator is told to save it as .xlsx."""
    path = tmp_path / "ancien.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert_unusable(path, ".xlsx")


def test_pdf_is_not_a_table(tmp_path: Path) -> None:
    """A PDF planning sent by mistake is refused by its extension."""
    path = tmp_path / "planning.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert_unusable(path, "format non reconnu")


def test_text_renamed_xlsx_is_unreadable(tmp_path: Path) -> None:
    """A CSV renamed .xlsx is not a zip archive; it must fail cleanly."""
    path = tmp_path / "faux.xlsx"
    path.write_text("N° dossier;Nom\nD001;Martin\n", "utf-8")
    assert_unusable(path, "illisible")


def test_binary_csv_is_refused(tmp_path: Path) -> None:
    """Binary data named .csv (NUL bytes) is refused rather than decoded into garbage."""
    path = tmp_path / "binaire.csv"
    path.write_bytes(b"N\x00\xb0 dossier\x00;Nom\x00\n\x00\x01\x02")
    assert_unusable(path, "binaire")


def test_csv_without_recognisable_header_in_first_30_lines(tmp_path: Path) -> None:
    """A header past line 30 or absent is an unusable file, naming the expected columns."""
    lines = [f"ligne {i};commentaire {i}" for i in range(30)]
    lines.append("N° dossier;Nom;Heure RDV")
    lines.append("D001;Martin;8h30")
    path = tmp_path / "sans_entete.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert_unusable(path, "aucune ligne d'en-têtes", "30")


def test_single_known_header_is_not_enough(tmp_path: Path) -> None:
    """One matching word ('Nom') could be anything; at least two fields make a header."""
    path = tmp_path / "un_seul.csv"
    path.write_text("Nom;Couleur\nMartin;bleu\n", "utf-8")
    assert_unusable(path, "aucune ligne d'en-têtes")


def test_csv_with_unclosed_quote_is_unusable_and_names_the_file(tmp_path: Path) -> None:
    """A stray quote swallowing a huge field must fail like any unusable file, path included."""
    path = tmp_path / "guillemet.csv"
    path.write_text('N° dossier;Nom;Heure RDV\nD001;"Martin;8h30\n' + "x" * 200_000, "utf-8")
    with pytest.raises(UnusableFileError) as caught:
        read(path)
    assert "CSV illisible" in str(caught.value)


def test_csv_parse_error_message_names_the_file(tmp_path: Path) -> None:
    """Every unusable-file message names the file, so a batch import says which one failed."""
    path = tmp_path / "guillemet.csv"
    path.write_text('N° dossier;Nom;Heure RDV\nD001;"Martin;8h30\n' + "x" * 200_000, "utf-8")
    assert_unusable(path, "CSV illisible")
