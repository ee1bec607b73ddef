"""Road figures from an OSRM server: fetched in chunks, kept, and errors said plainly."""

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from planning.checker import check
from planning.model import Direction, Kind, Load, Point, Problem, Request, Vehicle
from planning.optimiser import SolveParams, solve
from planning.osrm import OsrmTravel, OsrmUnavailable
from planning.rules import rules_on


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


def test_an_unreachable_server_is_said_plainly() -> None:
    """No silent fallback to estimated distances when the server is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(OsrmUnavailable, match="injoignable"):
        OsrmTravel(f"http://127.0.0.1:{port}", timeout_s=2).km(POINTS[0], POINTS[1])


def test_a_plan_on_osrm_distances_passes_the_check_on_them(osrm: str) -> None:
    """The optimiser and the checker read the same road figures."""
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
    problem = Problem(date(2026, 11, 24), requests, (taxi,), rules)
    travel = OsrmTravel(osrm)
    result = solve(problem, travel, SolveParams(time_limit_s=2))
    assert result.served == 3
    assert check(problem, result.plan, travel) == []
