"""The day's invoice preview: each trip priced by the tariff code, the shared discount by
patients aboard, who pays what, a patient's refusal of sharing, and totals per carrier."""

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import URL

from importers.invoices import LINES_SHEET, TOTALS_SHEET
from models.session import Database
from planning.costs import reimbursement, trip_price
from planning.invoices import RefusalEffect, invoice_preview
from planning.model import Direction, Problem, Request
from planning.plan import Plan, Route, Stop, StopKind
from planning.plan_costs import plan_costs, planned_trips
from planning.tariffs import TariffError, load_tariff_sets, tariffs_on
from regul.access import principal_for
from regul.cli import main
from regul.dispatch import record_sharing_refusal
from tests.dispatch_day import DAY, plan_and_push, store_day
from tests.planning_factories import RULES, TRAVEL, H, trip, vehicle

PLACE = {"departement": "59", "pickup_commune": "Roubaix", "dropoff_commune": "Lille"}
TARIFFS = tariffs_on(DAY)


def _problem(*requests: Request) -> Problem:
    vehicles = (vehicle("T1"), vehicle("T2", carrier="Taxis de Lomme"), vehicle("T3"))
    return Problem(DAY, requests, vehicles, RULES)


def _ride(vehicle_id: str, *events: tuple[StopKind, int, str]) -> Route:
    stops = [Stop(StopKind.START, 6 * H)]
    stops += [Stop(kind, at, rid) for kind, at, rid in events]
    return Route(vehicle_id, (*stops, Stop(StopKind.END, events[-1][1] + H)))


P, D = StopKind.PICKUP, StopKind.DROPOFF
A = trip("A", 50.70, 3.20, **PLACE)
B = trip("B", 50.72, 3.15, **PLACE)
C = trip("C", 50.75, 3.10, **PLACE)


def _shared_day(c: Request = C) -> tuple[Problem, Plan]:
    """A and B ride together in T1; C alone in T2 (another carrier)."""
    problem = _problem(A, B, c)
    plan = Plan(
        (
            _ride(
                "T1",
                (P, 7 * H, "A"),
                (P, 7 * H + 600, "B"),
                (D, 7 * H + 2400, "A"),
                (D, 7 * H + 2600, "B"),
            ),
            _ride("T2", (P, 7 * H, "C"), (D, 7 * H + 1800, "C")),
        )
    )
    return problem, plan


def test_the_shared_discount_is_the_tariff_s_for_the_patients_aboard() -> None:
    """Two patients aboard together: the taxi's 2-patient rate, the amount the tariff code
    prices, and the discount is the fare alone minus that amount; alone, no discount."""
    problem, plan = _shared_day()
    preview = invoice_preview(problem, plan, TRAVEL)
    lines = {line.request_id: line for line in preview.lines}
    trips = {p.request.id: p.trip for p in planned_trips(problem, plan, TRAVEL)}
    for rid in ("A", "B"):
        line = lines[rid]
        assert line.patients_sharing == 2
        assert line.discount_rate == TARIFFS.taxi.sharing.discounts[2] == Decimal("0.23")
        assert line.billed == trip_price(trips[rid], TARIFFS).amount
        alone = trip_price(replace(trips[rid], patients_sharing=1), TARIFFS).amount
        assert line.before_discount == alone and line.discount == alone - line.billed > 0
        assert abs(line.billed - alone * (1 - line.discount_rate)) <= Decimal("0.01")
    assert lines["C"].patients_sharing == 1 and lines["C"].discount == 0
    assert lines["C"].discount_rate == 0 and lines["C"].before_discount == lines["C"].billed


def test_totals_are_the_sums_of_the_lines_and_match_the_plan_s_costs() -> None:
    """Each carrier's totals add its lines up; the day's billed total is the one the plan's
    cost figures give."""
    problem, plan = _shared_day()
    preview = invoice_preview(problem, plan, TRAVEL)
    assert [t.carrier for t in preview.totals] == ["Taxis de Lomme", "Taxis du Nord"]
    for totals in preview.totals:
        own = [line for line in preview.lines if line.carrier == totals.carrier]
        assert totals.trips == len(own)
        for field in ("before_discount", "discount", "billed", "insurer_share", "franchise"):
            assert getattr(totals, field) == sum(getattr(line, field) for line in own)
        assert totals.insurer_pays + totals.patient_pays == totals.billed
    day = preview.grand_total
    assert day.billed == sum(t.billed for t in preview.totals)
    assert float(day.billed) == pytest.approx(plan_costs(problem, plan, TRAVEL).billed_eur)
    for line in preview.lines:
        paid = reimbursement(line.billed, line.coverage, 40, 0, tariffs=TARIFFS)
        assert (line.insurer_share, line.franchise) == (paid.share, paid.franchise)


def test_a_refused_shared_ride_loses_tiers_payant_and_is_reimbursed_on_the_shared_price() -> None:
    """C refused sharing: billed alone, marked, no tiers payant, the Assurance Maladie's
    share computed on the price of the shared ride, the rest left to the patient."""
    problem, plan = _shared_day(replace(C, sharing_refused=True))
    line = next(
        line for line in invoice_preview(problem, plan, TRAVEL).lines if line.request_id == "C"
    )
    rule = TARIFFS.sharing_refusal
    (c_trip,) = [p.trip for p in planned_trips(problem, plan, TRAVEL) if p.request.id == "C"]
    shared = trip_price(replace(c_trip, patients_sharing=rule.base_patients_sharing), TARIFFS)
    assert line.refusal is RefusalEffect.APPLIED and not line.tiers_payant
    assert line.billed == trip_price(c_trip, TARIFFS).amount
    assert line.reimbursement_base == shared.amount < line.billed
    paid = reimbursement(shared.amount, "STANDARD", 40, 0, tariffs=TARIFFS)
    assert line.insurer_pays == paid.insurer_pays
    assert line.patient_pays == line.billed - paid.insurer_pays
    assert line.unverified


def test_c2s_and_ame_patients_keep_their_rights_after_refusing() -> None:
    """The refusal is noted for a C2S or AME patient, whose invoice is otherwise unchanged."""
    for coverage in ("C2S", "AME"):
        problem, plan = _shared_day(replace(C, sharing_refused=True, coverage=coverage))
        line = next(
            ln for ln in invoice_preview(problem, plan, TRAVEL).lines if ln.request_id == "C"
        )
        assert line.refusal is RefusalEffect.EXEMPT and line.tiers_payant
        assert line.reimbursement_base == line.billed and line.insurer_pays == line.billed


def test_a_refusal_where_no_shared_ride_could_be_offered_changes_nothing() -> None:
    """A consultation, or a prescription that forbids sharing, cannot be shared: the
    refusal has no consequence."""
    for changes in ({"care_type": "CONSULTATION"}, {"sharing_compatible": False}):
        problem, plan = _shared_day(replace(C, sharing_refused=True, **changes))  # type: ignore[arg-type]
        line = next(
            ln for ln in invoice_preview(problem, plan, TRAVEL).lines if ln.request_id == "C"
        )
        assert line.refusal is RefusalEffect.NOT_ELIGIBLE and line.tiers_payant
        assert line.reimbursement_base == line.billed


def test_the_franchise_stops_at_the_patient_s_daily_cap() -> None:
    """Three trips of one patient: 4 €, 4 €, then nothing (8 € a day), in the order driven."""
    trips = [
        trip(
            f"X{n}",
            50.70,
            3.20,
            patient="P",
            direction=Direction.RETURN,
            ready=(8 + 2 * n) * H,
            **PLACE,
        )
        for n in range(3)
    ]
    problem = _problem(*trips)
    plan = Plan(
        (
            _ride(
                "T3",
                *[
                    e
                    for n, t in enumerate(trips)
                    for e in ((P, (8 + 2 * n) * H, t.id), (D, (9 + 2 * n) * H, t.id))
                ],
            ),
        )
    )
    lines = invoice_preview(problem, plan, TRAVEL).lines
    assert [ln.franchise for ln in lines] == [Decimal(4), Decimal(4), Decimal(0)]
    assert [ln.patient_pays - (ln.billed - ln.insurer_share) for ln in lines] == [4, 4, 0]


def test_the_refusal_terms_are_versioned_data_with_their_source(tmp_path: Path) -> None:
    """The tariff file carries the refusal's terms with its source, marked unverified; a
    shared ride of one patient is refused as a base."""
    rule = TARIFFS.sharing_refusal
    assert rule.loses_tiers_payant and rule.base_patients_sharing == 2
    assert rule.exempt_coverages == {"C2S", "AME"}
    assert "2025-202" in rule.source.text and rule.source.unverified
    shipped = Path("planning/data/tariffs/2025-11-01.toml").read_text("utf-8")
    broken = shipped.replace("base_patients_sharing = 2", "base_patients_sharing = 1")
    assert broken != shipped
    (tmp_path / "2025-11-01.toml").write_text(broken, "utf-8")
    with pytest.raises(TariffError, match="base_patients_sharing"):
        load_tariff_sets(tmp_path)


# -- from the database, through the command line ----------------------------------------------


@pytest.fixture
def planned(db: Database, db_url: URL) -> tuple[str, str]:
    """A stored day whose first shareable request's patient refused sharing, planned; the
    database URL and that request."""
    day = store_day(db)
    refusing = next(
        r
        for r in day.requests
        if r.sharing_compatible
        and RULES.sharing_allowed_for(r.care_type.value)
        and RULES.sharing_allowed_in(r.prescribed_mode.value)
        and r.coverage.value not in TARIFFS.sharing_refusal.exempt_coverages
    )
    record_sharing_refusal(db, principal_for(db, "test-runner"), DAY, refusing.external_id)
    plan_and_push(db)
    return db_url.render_as_string(hide_password=False), refusing.external_id


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    book = load_workbook(path, read_only=True)
    try:
        rows = list(book[sheet].iter_rows(values_only=True))
    finally:
        book.close()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_invoice_workbook_lists_each_trip_and_each_carrier_s_totals(
    planned: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line per served trip, the refusing patient's line marked without tiers payant, and
    per carrier totals equal to the sums of their lines."""
    url, refusing = planned
    out = tmp_path / "factures.xlsx"
    assert main(["export", "invoices", "--db", url, "--date", "2026-11-24", "--out", str(out)]) == 0
    assert "trajets" in capsys.readouterr().out
    lines = _rows(out, LINES_SHEET)
    assert len({line["Demande"] for line in lines}) == len(lines) > 20
    marked = [line for line in lines if line["Refus du transport partagé"]]
    assert [line["Demande"] for line in marked] == [refusing]
    assert marked[0]["Tiers payant"] == "non" and marked[0]["Patients à bord"] == 1
    assert "à mentionner sur la facture" in str(marked[0]["Refus du transport partagé"])
    assert marked[0]["Base de remboursement"] < marked[0]["Montant facturé"]  # type: ignore[operator]
    totals = _rows(out, TOTALS_SHEET)
    *carriers, day = totals
    assert day["Transporteur"] == "Total" and day["Trajets"] == len(lines)
    for carrier in carriers:
        own = [line for line in lines if line["SIRET"] == carrier["SIRET"]]
        assert carrier["Trajets"] == len(own)
        for total, column in (
            ("Montant facturé", "Montant facturé"),
            ("Remises partage", "Remise"),
            ("Franchises", "Franchise"),
            ("Part patients", "Part patient"),
        ):
            assert carrier[total] == pytest.approx(sum(float(line[column]) for line in own))  # type: ignore[arg-type]
    assert day["Montant facturé"] == pytest.approx(
        sum(float(c["Montant facturé"]) for c in carriers)
    )  # type: ignore[arg-type]
    shared = [line for line in lines if line["Patients à bord"] != 1]
    assert shared and all(line["Remise"] > 0 for line in shared)  # type: ignore[operator]


def test_invoices_of_a_day_without_plan_are_refused_in_one_line(
    db: Database, db_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No plan stored: exit 1, one line, no file."""
    url = db_url.render_as_string(hide_password=False)
    out = tmp_path / "f.xlsx"
    assert main(["export", "invoices", "--db", url, "--date", "2026-11-24", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "aucun plan" in err[0] and not out.exists()
