"""`regul import …` and `regul bench import`: exit codes, summaries, reports, on both databases."""

import json
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import URL, select

from importers.flags import flags_of
from importers.samples import (
    write_establishments,
    write_messy_requests,
    write_tidy_requests,
    write_vehicles,
)
from importers.synthetic import SyntheticDay, generate_day
from models.requests import TransportRequest
from models.session import Database
from regul.cli import main
from tests.sheets import write_xlsx

DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _offline_geocoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own geocoder settings never send test addresses online."""
    monkeypatch.delenv("REGUL_GEOCODER", raising=False)
    monkeypatch.delenv("REGUL_BAN_URL", raising=False)


@pytest.fixture
def url(db_url: URL, capsys: pytest.CaptureFixture[str]) -> str:
    """The URL of a database migrated by `regul db upgrade`."""
    rendered = db_url.render_as_string(hide_password=False)
    assert main(["db", "upgrade", "--db", rendered]) == 0
    capsys.readouterr()
    return rendered


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _counts(capsys: pytest.CaptureFixture[str], url: str) -> dict[str, int]:
    code, out, _ = _run(capsys, "db", "info", "--json", "--db", url)
    assert code == 0
    rows: dict[str, int] = json.loads(out)["rows"]
    return rows


def _summary(out: str) -> dict[str, str]:
    """The summary block, label → value (`Importées        : 40 lignes ; …`)."""
    lines = (line.split(":", 1) for line in out.splitlines() if not line.startswith(" "))
    return {label.strip(): value.strip() for label, value in (p for p in lines if len(p) == 2)}


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("regul: "), err
    return lines[0]


def _import_reference(
    capsys: pytest.CaptureFixture[str], url: str, day: SyntheticDay, folder: Path
) -> None:
    for kind, sample in (
        ("establishments", write_establishments(day, folder / "etablissements.xlsx")),
        ("vehicles", write_vehicles(day, folder / "parc.csv")),
    ):
        code, out, err = _run(capsys, "import", kind, str(sample.path), "--db", url)
        assert (code, err) == (0, ""), out + err
        assert _summary(out)["Importées"].startswith(f"{sample.data_rows} lignes")
        assert "Rapport" not in out
        assert not sample.path.with_name(f"{sample.path.stem}-rapport.xlsx").exists()


def _flagged_requests(db_url: URL) -> int:
    db = Database(db_url)
    try:
        with db.reader() as session:
            return sum(1 for flags in session.scalars(select(TransportRequest.flags)) if flags)
    finally:
        db.dispose()


def _sheet_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    workbook = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _day_without_flags() -> SyntheticDay:
    """A generated 40-request day none of whose requests the rules flag."""
    for seed in range(1, 100):
        day = generate_day(DAY, requests=40, seed=seed)
        if not any(flags_of(record) for record in day.requests):
            return day
    raise AssertionError("no flag-free synthetic day among 99 seeds")


def test_a_clean_day_imports_with_exit_0_and_no_report(
    url: str, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Establishments, roster, then a tidy export: all in, exit 0, no report to clutter the desk."""
    day = _day_without_flags()
    folder = tmp_path / "entrees"
    _import_reference(capsys, url, day, folder)
    sample = write_tidy_requests(day, folder / "demandes.xlsx")
    code, out, err = _run(capsys, "import", "requests", str(sample.path), "--db", url)
    assert (code, err) == (0, "")
    summary = _summary(out)
    assert summary["Importées"].startswith("40 lignes ; enregistrements : 40 créés")
    assert (summary["Rejetées"], summary["Ignorées"], summary["À vérifier"]) == ("0", "0", "0")
    # Nothing rejected, skipped or flagged: so no report at all.
    assert _flagged_requests(db_url) == 0
    assert "Rapport" not in out
    assert sorted(p.name for p in folder.iterdir()) == [
        "demandes.xlsx",
        "etablissements.xlsx",
        "parc.csv",
    ]
    counts = _counts(capsys, url)
    assert (counts["establishments"], counts["vehicles"], counts["transport_requests"]) == (
        len(day.establishments),
        len(day.vehicles),
        40,
    )


def test_flagged_rows_still_exit_0_but_get_a_report(
    url: str, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Imported rows raising a flag are worth a look: the report lists them, nothing to correct."""
    day = generate_day(DAY, requests=120, seed=3)
    _import_reference(capsys, url, day, tmp_path)
    sample = write_tidy_requests(day, tmp_path / "demandes.xlsx")
    code, out, _ = _run(capsys, "import", "requests", str(sample.path), "--db", url)
    assert code == 0
    flagged = _flagged_requests(db_url)
    assert flagged > 0  # this seed's day has trips needing a look (sharing, long distance)
    assert _summary(out)["À vérifier"] == str(flagged)
    report = tmp_path / "demandes-rapport.xlsx"
    assert f"Rapport : {report}" in out
    assert len(_sheet_rows(report, "À corriger")) == 1  # headers only
    assert len(_sheet_rows(report, "Signalements")) == 1 + flagged


def test_messy_export_exits_3_with_rejected_lines_and_a_report_beside_it(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rejected rows give exit 3, are listed by line, and land in `<stem>-rapport.xlsx`."""
    day = generate_day(DAY, requests=120, seed=3)
    _import_reference(capsys, url, day, tmp_path / "reference")
    sample = write_messy_requests(day, tmp_path / "service" / "sale.xlsx", seed=7)
    assert sample.rejected
    code, out, err = _run(capsys, "import", "requests", str(sample.path), "--db", url)
    assert (code, err) == (3, "")
    listed = [line for line in out.splitlines() if line.startswith("  ligne ")]
    assert [int(line.split()[1]) for line in listed] == sorted(sample.rejected)
    assert _summary(out)["Rejetées"] == str(len(sample.rejected))
    report = tmp_path / "service" / "sale-rapport.xlsx"
    assert report.exists()
    workbook = load_workbook(report, read_only=True)
    try:
        assert workbook.sheetnames[0] == "À corriger"
    finally:
        workbook.close()
    headers, *rows = _sheet_rows(report, "À corriger")
    assert len(rows) == len(sample.rejected)
    origin = headers.index("Ligne d'origine")
    assert sorted(row[origin] for row in rows) == sorted(sample.rejected)
    counts = _counts(capsys, url)
    assert counts["transport_requests"] == sample.expected_requests

    elsewhere = tmp_path / "rapports" / "OUT.xlsx"
    code, out, _ = _run(
        capsys, "import", "requests", str(sample.path), "--report", str(elsewhere), "--db", url
    )
    assert code == 3
    assert f"Rapport : {elsewhere}" in out
    assert len(_sheet_rows(elsewhere, "À corriger")) == 1 + len(sample.rejected)
    report.unlink()
    code, _, _ = _run(
        capsys, "import", "requests", str(sample.path), "--report", str(elsewhere), "--db", url
    )
    assert code == 3
    assert not report.exists()  # --report replaces the default place, it does not add to it


def _requests_sheet(path: Path, headers: list[str]) -> Path:
    values = {
        "N° dossier": "1001",
        "Nom": "Martin",
        "Prénom": "Jeanne",
        "Code postal": "59100",
        "Commune": "Roubaix",
        "Établissement": "Centre hospitalier de Roubaix",
        "Date": "24/11/2026",
        "Heure RDV": "08:30",
        "Mode prescrit": "VSL",
    }
    return write_xlsx(path, headers, [[values[h] for h in headers]])


REQUEST_HEADERS = [
    "N° dossier",
    "Nom",
    "Prénom",
    "Code postal",
    "Commune",
    "Établissement",
    "Date",
    "Heure RDV",
    "Mode prescrit",
]


def _missing(folder: Path) -> list[str]:
    return [str(folder / "absent.xlsx")]


def _pdf(folder: Path) -> list[str]:
    path = folder / "demandes.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    return [str(path)]


def _headerless_csv(folder: Path) -> list[str]:
    path = folder / "export.csv"
    path.write_text("Colonne A;Colonne B;Colonne C\n1;2;3\n4;5;6\n", encoding="utf-8")
    return [str(path)]


def _no_mode_column(folder: Path) -> list[str]:
    headers = [h for h in REQUEST_HEADERS if h != "Mode prescrit"]
    return [str(_requests_sheet(folder / "sans-mode.xlsx", headers))]


def _mapping_with_unknown_field(folder: Path) -> list[str]:
    mapping = folder / "correspondance.toml"
    mapping.write_text('vitesse = "Nom"\n', encoding="utf-8")
    path = _requests_sheet(folder / "demandes.xlsx", REQUEST_HEADERS)
    return [str(path), "--mapping", str(mapping)]


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (_missing, "fichier introuvable"),
        (_pdf, "format non reconnu"),
        (_headerless_csv, "aucune ligne d'en-têtes reconnue"),
        (_no_mode_column, "Mode prescrit"),
        (_mapping_with_unknown_field, "champ inconnu « vitesse »"),
    ],
)
def test_unusable_file_exits_2_with_one_line(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, fragment: str
) -> None:
    """A file that cannot be used at all: exit 2, one `regul: ` line saying why, nothing saved."""
    arguments = make(tmp_path)
    code, out, err = _run(capsys, "import", "requests", *arguments, "--db", url)
    assert code == 2
    line = _one_error_line(err)
    assert fragment in line, line
    assert "Traceback" not in out + err and "Importées" not in out
    counts = _counts(capsys, url)
    assert (counts["transport_requests"], counts["patients"]) == (0, 0)
    assert not list(tmp_path.glob("*-rapport.xlsx"))


def test_date_option_ignores_the_rows_of_another_day(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--date` keeps one day: a file of the 24th imported for the 25th brings nothing in."""
    day = generate_day(DAY, requests=40, seed=1)
    _import_reference(capsys, url, day, tmp_path)
    sample = write_tidy_requests(day, tmp_path / "demandes.xlsx")
    code, out, err = _run(
        capsys, "import", "requests", str(sample.path), "--date", "2026-11-25", "--db", url
    )
    assert (code, err) == (0, "")
    summary = _summary(out)
    assert summary["Importées"].startswith("0 lignes")
    assert (summary["Rejetées"], summary["Ignorées"]) == ("0", "40")
    assert _counts(capsys, url)["transport_requests"] == 0
    _, *ignored = _sheet_rows(tmp_path / "demandes-rapport.xlsx", "Ignorées")
    assert len(ignored) == 40
    assert all("autre jour (24/11/2026)" in str(reason) for _, reason in ignored)


def test_import_without_a_type_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`regul import` alone says which types exist instead of doing nothing silently."""
    code, out, err = _run(capsys, "import")
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert "requests" in line and "establishments" in line and "vehicles" in line


def test_bench_import_writes_its_figures_as_json(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The benchmark runs end to end and writes the figures the performance target is judged on."""
    out_file = tmp_path / "bench" / "OUT.json"
    out_file.parent.mkdir()
    code, out, err = _run(
        capsys,
        "bench",
        "import",
        "--rows",
        "300",
        "--format",
        "tidy",
        "--out",
        str(out_file),
        "--db",
        url,
    )
    assert (code, err) == (0, "")
    figures = json.loads(out_file.read_text(encoding="utf-8"))
    assert figures == json.loads(out)
    assert figures["rows"] == 300
    assert figures["requests_imported"] == 300
    assert figures["rows_rejected"] == 0
    assert isinstance(figures["import_s"], float) and figures["import_s"] >= 0
    assert figures["target_s"] == pytest.approx(15.0 * 300 / 10_000)
    assert isinstance(figures["within_target"], bool)
    if figures["import_s"] != figures["target_s"]:  # both rounded: a tie says nothing
        assert figures["within_target"] == (figures["import_s"] < figures["target_s"])


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_ban_fails_in_one_line_and_imports_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Online geocoding down: exit 1, one line naming the cause, and no half-located import."""
    day = generate_day(DAY, requests=120, seed=3)
    _import_reference(capsys, url, day, tmp_path)
    before = _counts(capsys, url)
    monkeypatch.setenv("REGUL_BAN_URL", f"http://127.0.0.1:{_closed_port()}/search/csv/")
    sample = write_messy_requests(day, tmp_path / "sale.xlsx", seed=7)
    code, out, err = _run(
        capsys, "import", "requests", str(sample.path), "--geocoder", "ban", "--db", url
    )
    assert code == 1
    line = _one_error_line(err)
    assert "injoignable" in line and "127.0.0.1" in line
    assert "Importées" not in out
    after = _counts(capsys, url)
    assert after == before
    assert (after["transport_requests"], after["patients"]) == (0, 0)
    assert not (tmp_path / "sale-rapport.xlsx").exists()


def test_report_cells_that_look_like_formulas_stay_text(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rejected row is copied into the report as it was: a cell starting with =, +, - or @
    (a hostile or merely odd export) is a quoted string there, never a formula."""
    hostile = {
        "Nom": '=HYPERLINK("http://x","y")',
        "Prénom": "@SOMME(A1)",
        "Commune": "+33 6 12 34 56 78",
        "Mode prescrit": "-hélico",
    }
    path = _requests_sheet(tmp_path / "hostile.xlsx", REQUEST_HEADERS)
    workbook = load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    for column, header in enumerate(REQUEST_HEADERS, start=1):
        if header in hostile:
            sheet.cell(row=2, column=column).value = hostile[header]
            sheet.cell(row=2, column=column).data_type = "s"
    workbook.save(path)
    code, _out, _err = _run(capsys, "import", "requests", str(path), "--db", url)
    assert code == 3
    report = load_workbook(tmp_path / "hostile-rapport.xlsx")  # not read-only: styles too
    rejected = report["À corriger"]
    written = {rejected.cell(1, c).value: rejected.cell(2, c) for c in range(1, 13)}
    for header, value in hostile.items():
        cell = written[header]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True), header
