"""The Base Adresse Nationale client, against a fake BAN on loopback, and the geocoder chain."""

import csv
import email.parser
import email.policy
import io
import socket
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from importers.ban import BanGeocoder
from importers.geocoding import (
    Address,
    CachedGeocoder,
    ChainGeocoder,
    GeocodingUnavailable,
    Located,
    Precision,
    Resolution,
    Unresolved,
)
from models.records import Position

PRECISE = Address("10 rue Nationale", "59000", "Lille")
VAGUE = Address("chemin sans nom", "59100", "Roubaix")
TOWN_ONLY = Address(None, "59200", "Tourcoing")

# What the fake BAN answers, by the 'adresse' column it receives.
ANSWERS = {
    "10 rue Nationale": (
        "50.6371",
        "3.0530",
        "10 Rue Nationale 59000 Lille",
        "0.91",
        "housenumber",
    ),
    "chemin sans nom": ("50.6900", "3.1800", "Chemin 59100 Roubaix", "0.31", "street"),
    "": ("50.7239", "3.1612", "Tourcoing", "0.82", "municipality"),
}


@dataclass
class Received:
    """One multipart request as the fake BAN parsed it."""

    fields: list[tuple[str, str]]
    filename: str | None
    rows: list[dict[str, str]]


@dataclass
class FakeBan:
    url: str
    mode: str = "ok"  # "ok", "error" (HTTP 500) or "slow"
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


def _parse_multipart(content_type: str, body: bytes) -> Received:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: list[tuple[str, str]] = []
    filename: str | None = None
    rows: list[dict[str, str]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if name == "data":
            filename = part.get_filename()
            rows = list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))
        else:
            fields.append((str(name), payload.decode("utf-8")))
    return Received(fields, filename, rows)


def _answer(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    columns = ["adresse", "postcode", "city", "latitude", "longitude"]
    columns += ["result_label", "result_score", "result_type"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        found = ANSWERS.get(row["adresse"], ("", "", "", "", ""))
        writer.writerow([row["adresse"], row["postcode"], row["city"], *found])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def fake_ban(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBan]:
    """A BAN look-alike on 127.0.0.1, on a free port, in a background thread."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    state = FakeBan(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(_parse_multipart(self.headers["Content-Type"], body))
            if state.mode == "error":
                self.send_error(500, "Internal Server Error")
                return
            if state.mode == "slow":
                state.release.wait(10)
                return
            answer = _answer(state.received[-1].rows)
            self.send_response(200)
            self.send_header("Content-Type", "text/csv; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/search/csv/"
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_ban_answers_are_read_by_score_and_type(fake_ban: FakeBan) -> None:
    """A sure house number is trusted, a weak score is not, a town-level answer is marked so."""
    results = BanGeocoder(fake_ban.url, timeout_s=5).locate([PRECISE, VAGUE, TOWN_ONLY])

    precise = results[PRECISE]
    assert isinstance(precise, Located)
    assert precise.precision is Precision.ADDRESS
    assert precise.position == Position(50.6371, 3.0530)
    assert precise.source == "Base Adresse Nationale"

    vague = results[VAGUE]
    assert isinstance(vague, Unresolved)
    assert "score" in vague.reason
    assert "0.31" in vague.reason

    town = results[TOWN_ONLY]
    assert isinstance(town, Located)
    assert town.precision is Precision.COMMUNE
    assert town.position == Position(50.7239, 3.1612)


def test_ban_request_carries_columns_and_the_address_rows(fake_ban: FakeBan) -> None:
    """The BAN only geocodes what it is told: the columns fields and every row must be sent."""
    BanGeocoder(fake_ban.url, timeout_s=5).locate([PRECISE, VAGUE, TOWN_ONLY])

    assert len(fake_ban.received) == 1
    request = fake_ban.received[0]
    assert ("columns", "adresse") in request.fields
    assert ("columns", "city") in request.fields
    assert ("postcode", "postcode") in request.fields
    assert request.filename is not None
    assert request.filename.endswith(".csv")
    assert request.rows == [
        {"adresse": "10 rue Nationale", "postcode": "59000", "city": "Lille"},
        {"adresse": "chemin sans nom", "postcode": "59100", "city": "Roubaix"},
        {"adresse": "", "postcode": "59200", "city": "Tourcoing"},
    ]


def test_ban_url_from_environment(fake_ban: FakeBan, monkeypatch: pytest.MonkeyPatch) -> None:
    """A centre with its own BAN instance sets REGUL_BAN_URL instead of passing a URL."""
    monkeypatch.setenv("REGUL_BAN_URL", fake_ban.url)
    geocoder = BanGeocoder(timeout_s=5)
    assert geocoder.url == fake_ban.url
    assert isinstance(geocoder.locate([PRECISE])[PRECISE], Located)


def test_ban_http_error_is_geocoding_unavailable(fake_ban: FakeBan) -> None:
    """A server error stops the online step with a plain message, not a traceback."""
    fake_ban.mode = "error"
    with pytest.raises(GeocodingUnavailable, match="HTTP 500") as caught:
        BanGeocoder(fake_ban.url, timeout_s=5).locate([PRECISE])
    assert fake_ban.url in str(caught.value)


def test_ban_closed_port_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network (nothing listening) is reported as unreachable, suggesting the offline mode."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/search/csv/"
    with pytest.raises(GeocodingUnavailable, match="injoignable") as caught:
        BanGeocoder(url, timeout_s=2).locate([PRECISE])
    assert "--geocoder ban" in str(caught.value)


def test_ban_slow_server_times_out(fake_ban: FakeBan) -> None:
    """A hanging BAN must not freeze the import: the timeout ends it as unavailable."""
    fake_ban.mode = "slow"
    with pytest.raises(GeocodingUnavailable, match="injoignable"):
        BanGeocoder(fake_ban.url, timeout_s=0.5).locate([PRECISE])


def test_ban_with_no_addresses_makes_no_request(fake_ban: FakeBan) -> None:
    """An import with every place already known must not call the network."""
    assert BanGeocoder(fake_ban.url, timeout_s=5).locate([]) == {}
    assert fake_ban.received == []


# --- cache and chain ---------------------------------------------------------------------------


LILLE = Located(Position(50.63, 3.06), Precision.ADDRESS, "test")
ROUBAIX = Located(Position(50.69, 3.17), Precision.COMMUNE, "test")


class CountingGeocoder:
    """Answers from a table and records every batch it is asked."""

    def __init__(self, name: str, answers: Mapping[Address, Resolution]) -> None:
        self.name = name
        self._answers = answers
        self.calls: list[list[Address]] = []

    def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
        self.calls.append(list(addresses))
        return {
            a: self._answers.get(a, Unresolved(f"{self.name} : introuvable")) for a in addresses
        }


class DictCache:
    """In-memory GeoCache."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], Located] = {}

    def lookup(self, provider: str, keys: Sequence[str]) -> dict[str, Located]:
        return {k: self.entries[(provider, k)] for k in keys if (provider, k) in self.entries}

    def store(self, provider: str, entries: Mapping[str, Located]) -> None:
        for key, located in entries.items():
            self.entries[(provider, key)] = located


def test_cached_geocoder_asks_each_address_once() -> None:
    """Online answers cost a network call; the same address is never asked twice."""
    inner = CountingGeocoder("ban", {PRECISE: LILLE})
    cache = DictCache()
    geocoder = CachedGeocoder(inner, cache)
    assert geocoder.name == "ban"

    first = geocoder.locate([PRECISE])
    second = geocoder.locate([PRECISE])

    assert first == second == {PRECISE: LILLE}
    assert inner.calls == [[PRECISE]]


def test_cached_geocoder_shares_entries_across_spelling_variants() -> None:
    """'10 RUE NATIONALE, LILLE' is the same address as '10 rue Nationale, Lille'."""
    inner = CountingGeocoder("ban", {PRECISE: LILLE})
    geocoder = CachedGeocoder(inner, DictCache())
    geocoder.locate([PRECISE])
    shouted = Address("10  RUE NATIONALE", "59000", "LILLE")
    assert geocoder.locate([shouted]) == {shouted: LILLE}
    assert len(inner.calls) == 1


def test_cached_geocoder_stores_only_located_answers() -> None:
    """An address the provider could not find is asked again next time, not cached as failed."""
    inner = CountingGeocoder("ban", {PRECISE: LILLE})
    cache = DictCache()
    geocoder = CachedGeocoder(inner, cache)

    geocoder.locate([PRECISE, VAGUE])
    assert cache.entries == {("ban", PRECISE.key()): LILLE}

    results = geocoder.locate([PRECISE, VAGUE])
    assert inner.calls == [[PRECISE, VAGUE], [VAGUE]]
    assert results[PRECISE] == LILLE
    assert isinstance(results[VAGUE], Unresolved)


def test_chain_asks_the_next_geocoder_only_for_what_is_left() -> None:
    """The cheaper or finer source answers first; the next one only fills the gaps."""
    first = CountingGeocoder("ban", {PRECISE: LILLE})
    second = CountingGeocoder("communes", {VAGUE: ROUBAIX})
    chain = ChainGeocoder([first, second])
    assert chain.name == "ban+communes"

    results = chain.locate([PRECISE, VAGUE, TOWN_ONLY])

    assert first.calls == [[PRECISE, VAGUE, TOWN_ONLY]]
    assert second.calls == [[VAGUE, TOWN_ONLY]]
    assert results[PRECISE] == LILLE
    assert results[VAGUE] == ROUBAIX
    assert results[TOWN_ONLY] == Unresolved("communes : introuvable")


def test_chain_stops_when_everything_is_resolved() -> None:
    """When the first source places every address the later ones are not asked at all."""
    first = CountingGeocoder("ban", {PRECISE: LILLE})
    second = CountingGeocoder("communes", {})
    results = ChainGeocoder([first, second]).locate([PRECISE, PRECISE])
    assert results == {PRECISE: LILLE}
    assert first.calls == [[PRECISE]]
    assert second.calls == []


def test_chain_fills_in_addresses_a_geocoder_forgot() -> None:
    """A provider that silently skips an address leaves it unresolved, not missing."""

    class Forgetful:
        name = "oubli"

        def locate(self, addresses: Sequence[Address]) -> dict[Address, Resolution]:
            return {}

    results = ChainGeocoder([Forgetful()]).locate([PRECISE])
    assert results == {PRECISE: Unresolved("adresse introuvable")}
