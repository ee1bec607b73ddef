"""Road figures from an OSRM server: fetched in chunks, kept on disk, errors said plainly."""

import json
import logging
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import numpy as np
import platformdirs
import pytest

from planning.checker import check
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.optimiser import SolveParams, solve
from planning.osrm import OsrmTravel, OsrmUnavailable
from planning.osrm_cache import FILE_NAME, OsrmCache
from planning.rules import rules_on
from regul.cli import main


def _road_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The fake map: Manhattan distance, 100 km per degree (lon, lat)."""
    return (abs(a[0] - b[0]) + abs(a[1] - b[1])) * 100_000


class FakeOsrm(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []
    mode: ClassVar[str] = "ok"

    def do_GET(self) -> None:
        FakeOsrm.requests.append(self.path)
        if FakeOsrm.mode == "error":
            self.send_error(500, "boom")
            return
        url = urlsplit(self.path)  # not urlparse: it cuts the path at ';'
        coordinates = [
            tuple(float(x) for x in pair.split(","))
            for pair in url.path.rsplit("/", 1)[1].split(";")
        ]
        query = parse_qs(url.query)
        sources = [int(i) for i in query["sources"][0].split(";")]
        destinations = [int(i) for i in query["destinations"][0].split(";")]
        distances = [
            [_road_m(coordinates[s], coordinates[d]) for d in destinations] for s in sources
        ]
        body = {
            "code": "NoTable" if FakeOsrm.mode == "notable" else "Ok",
            "distances": distances,
            "durations": [[m / 10 for m in row] for row in distances],
        }
        if FakeOsrm.mode == "null":
            body["distances"][0][-1] = None
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def osrm() -> Iterator[str]:
    FakeOsrm.requests, FakeOsrm.mode = [], "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


POINTS = [Point(50.60 + i * 0.01, 3.00 + i * 0.02) for i in range(5)]


def test_matrices_come_from_the_server_in_chunks_and_are_kept(osrm: str) -> None:
    """Every pair as the server says, fetched chunk by chunk, and never asked twice."""
    travel = OsrmTravel(osrm, chunk=2)
    km, seconds = travel.matrices(POINTS)
    for i, a in enumerate(POINTS):
        for j, b in enumerate(POINTS):
            expected = _road_m((a.lon, a.lat), (b.lon, b.lat)) / 1000
            assert km[i, j] == pytest.approx(expected)
            assert seconds[i, j] == round(expected * 100)
    assert len(FakeOsrm.requests) == 9  # 3 × 3 chunks of at most 2 places
    travel.matrices(POINTS[:3])
    assert travel.km(POINTS[4], POINTS[0]) == pytest.approx(km[4, 0])
    assert len(FakeOsrm.requests) == 9


@pytest.mark.parametrize(
    ("mode", "words"),
    [("error", "HTTP 500"), ("notable", "réponse inattendue"), ("null", "aucun itinéraire")],
)
def test_a_bad_answer_is_an_error_in_words(osrm: str, mode: str, words: str) -> None:
    """A refused table, an unknown reply or an unroutable point stops the plan, explained."""
    FakeOsrm.mode = mode
    with pytest.raises(OsrmUnavailable, match=words):
        OsrmTravel(osrm).matrices(POINTS)


def test_an_unreachable_server_is_said_plainly(tmp_path: Path) -> None:
    """No silent fallback to estimated distances when the server is down, and no cache file."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    travel = OsrmTravel(f"http://127.0.0.1:{port}", timeout_s=2, cache=OsrmCache(tmp_path))
    with pytest.raises(OsrmUnavailable, match="injoignable"):
        travel.km(POINTS[0], POINTS[1])
    assert not (tmp_path / FILE_NAME).exists()


def _problem() -> Problem:
    """Three dialysis patients to one clinic and a taxi, on the fake map."""
    rules = rules_on(date(2026, 11, 24))
    clinic = Point(50.63, 3.06)
    requests = tuple(
        Request(
            f"R{i}",
            f"P{i}",
            Direction.OUTBOUND,
            POINTS[i],
            clinic,
            Kind.TAXI,
            Load(seated=1),
            "DIALYSIS",
            True,
            appointment=9 * 3600,
        )
        for i in range(3)
    )
    taxi = Vehicle("AA-001-AA", "Taxis", Kind.TAXI, Load(4, 0, 1), POINTS[0], 6 * 3600, 18 * 3600)
    return Problem(date(2026, 11, 24), requests, (taxi,), rules)


def test_a_plan_on_osrm_distances_passes_the_check_on_them(osrm: str) -> None:
    """The optimiser and the checker read the same road figures."""
    problem = _problem()
    travel = OsrmTravel(osrm)
    result = solve(problem, travel, SolveParams(time_limit_s=2))
    assert result.served == 3
    assert check(problem, result.plan, travel) == []


def test_planning_again_on_the_same_points_asks_the_server_nothing(
    osrm: str, tmp_path: Path
) -> None:
    """A second run reads the first run's figures from the cache file, to the last digit."""
    problem = _problem()
    first = OsrmTravel(osrm, cache=OsrmCache(tmp_path))
    solve(problem, first, SolveParams(time_limit_s=1))
    asked = len(FakeOsrm.requests)
    assert asked > 0
    again = OsrmTravel(osrm, cache=OsrmCache(tmp_path))
    result = solve(problem, again, SolveParams(time_limit_s=1))
    assert check(problem, result.plan, again) == []
    places = [*POINTS[:3], Point(50.63, 3.06)]  # the problem's
    for mine, theirs in zip(again.matrices(places), first.matrices(places), strict=True):
        assert np.array_equal(mine, theirs)
    assert len(FakeOsrm.requests) == asked


def test_another_server_url_is_asked_again(osrm: str, tmp_path: Path) -> None:
    """Figures are kept per server: a changed URL gets fresh ones."""
    OsrmTravel(osrm, cache=OsrmCache(tmp_path)).matrices(POINTS)
    asked = len(FakeOsrm.requests)
    OsrmTravel(f"{osrm}/", cache=OsrmCache(tmp_path)).matrices(POINTS)  # the same URL
    assert len(FakeOsrm.requests) == asked
    OsrmTravel(f"{osrm}/autre-carte", cache=OsrmCache(tmp_path)).matrices(POINTS)
    assert len(FakeOsrm.requests) == 2 * asked


def test_figures_older_than_the_max_age_are_fetched_again(osrm: str, tmp_path: Path) -> None:
    """30 days by default, or the age the caller sets; a refetch makes them fresh again."""
    now = [1_800_000_000.0]

    def run(max_age: timedelta = timedelta(days=30)) -> int:
        cache = OsrmCache(tmp_path, max_age, clock=lambda: now[0])
        OsrmTravel(osrm, cache=cache).matrices(POINTS)
        return len(FakeOsrm.requests)

    asked = run()
    now[0] += timedelta(days=29).total_seconds()
    assert run() == asked
    assert run(timedelta(days=7)) == 2 * asked
    now[0] += timedelta(days=2).total_seconds()
    assert run() == 2 * asked  # refreshed two days ago by the 7-day run
    now[0] += timedelta(days=29).total_seconds()
    assert run() == 3 * asked


@pytest.mark.parametrize("damage", ["not_sqlite", "broken_pages"])
def test_a_corrupted_cache_file_is_reset_with_a_warning(
    osrm: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    """Planning goes on with the server's figures, and the new file serves the next run."""
    path = tmp_path / FILE_NAME
    if damage == "not_sqlite":
        path.write_bytes(b"ceci n'est pas une base" * 100)
    else:
        OsrmTravel(osrm, cache=OsrmCache(tmp_path)).matrices(POINTS)
        data = bytearray(path.read_bytes())
        data[100:] = b"\xff" * (len(data) - 100)
        path.write_bytes(bytes(data))
    FakeOsrm.requests.clear()
    with caplog.at_level(logging.WARNING, logger="planning.osrm_cache"):
        km, _ = OsrmTravel(osrm, cache=OsrmCache(tmp_path)).matrices(POINTS)
    assert "remis à zéro" in caplog.text
    assert km[4, 0] == pytest.approx(_road_m((3.08, 50.64), (3.00, 50.60)) / 1000)
    asked = len(FakeOsrm.requests)
    assert asked > 0
    OsrmTravel(osrm, cache=OsrmCache(tmp_path)).matrices(POINTS)
    assert len(FakeOsrm.requests) == asked


def test_a_cache_that_cannot_be_written_is_done_without(
    osrm: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache folder that is a file: a warning, and the server's figures as usual."""
    folder = tmp_path / "dossier"
    folder.write_text("un fichier, pas un dossier")
    with caplog.at_level(logging.WARNING, logger="planning.osrm_cache"):
        km, _ = OsrmTravel(osrm, cache=OsrmCache(folder)).matrices(POINTS)
    assert "inutilisable" in caplog.text
    assert km[0, 1] == pytest.approx(_road_m((3.00, 50.60), (3.02, 50.61)) / 1000)


def test_regul_plan_and_check_keep_the_figures_in_the_user_cache_folder(
    osrm: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line wires the cache: planning the day again asks the server nothing."""
    monkeypatch.setattr(platformdirs, "user_cache_dir", lambda *_: str(tmp_path / "cache"))
    url = f"sqlite:///{tmp_path / 'regul.sqlite'}"
    day = ["--db", url, "--date", "2026-11-24"]
    demo = [
        "demo",
        "--headless",
        "--requests",
        "12",
        "--no-plan",
        "--folder",
        str(tmp_path / "demo"),
    ]
    assert main([*demo, *day]) == 0
    plan = ["plan", *day, "--time-limit", "1", "--osrm", osrm]
    assert main(plan) == 0
    asked = len(FakeOsrm.requests)
    assert asked > 0 and (tmp_path / "cache" / FILE_NAME).exists()
    assert main(plan) == 0
    assert main(["check", *day]) == 0
    assert len(FakeOsrm.requests) == asked
