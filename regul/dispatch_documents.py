"""Documents of the dispatch to carriers: manifests out, signed-back answer sheets in, and the
day's invoice preview; the database, the access rules and the builders wired together.

The builders (:mod:`importers.manifests`, :mod:`importers.answers`,
:mod:`importers.invoices`, :mod:`planning.invoices`) work on plain values; this module reads
what they need, checks who is asking, and records answers through
:func:`regul.dispatch.answer_missions`, the one way answers enter the database.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from importers.answers import AnswerSheet, CheckedAnswers, check_answers, read_answer_sheet
from importers.folding import fold
from importers.invoices import InvoiceNames, write_invoice_preview
from importers.manifests import carrier_manifests, write_manifest_pdf, write_manifest_xlsx
from models.enums import LIVE_MISSION_STATUSES, Role
from models.errors import NotFoundError
from models.records import PlaceRecord
from models.repositories.day import fleet_on, open_requests
from models.repositories.missions import MissionView, missions_by_id, missions_of_day
from models.repositories.plans import day_plan
from models.session import Database
from planning.invoices import InvoicePreview, invoice_preview
from planning.plan import Plan, Route
from regul.access import Principal, require, require_carrier
from regul.centre import centre_departement
from regul.dispatch import Answer, AnswerReport, answer_missions
from regul.planning_input import problem_from_records
from regul.planning_run import stored_plan, stored_travel

MANIFEST_FORMATS = ("xlsx", "pdf")
_SLUG_LENGTH = 60


def export_manifests(
    db: Database,
    principal: Principal,
    day: date,
    folder: Path,
    carrier_siret: str | None = None,
    formats: Collection[str] = MANIFEST_FORMATS,
) -> list[Path]:
    """One workbook and one PDF per carrier holding missions that day (proposed, accepted or
    done), named after the carrier and the day. A carrier's dispatcher gets its own only."""
    if principal.is_carrier:
        if carrier_siret is not None:
            require_carrier(principal, carrier_siret, "exporter les manifestes")
        carrier_siret = principal.carrier_siret
    with db.reader() as session:
        missions = missions_of_day(session, day, carrier_siret, LIVE_MISSION_STATUSES)
    if not missions:
        whose = f" pour le SIRET {carrier_siret}" if carrier_siret else ""
        raise NotFoundError(
            f"aucune mission transmise le {day:%d/%m/%Y}{whose} : transmettez le plan "
            "(« regul push ») avant d'exporter les manifestes"
        )
    written: list[Path] = []
    stems: set[str] = set()
    for manifest in carrier_manifests(missions):
        stem = f"manifeste-{slug(manifest.carrier_name)}-{day:%Y-%m-%d}"
        if stem in stems:  # two carriers of the same name: the SIRET tells them apart
            stem = f"{stem}-{manifest.carrier_siret}"
        stems.add(stem)
        if "xlsx" in formats:
            written.append(write_manifest_xlsx(manifest, folder / f"{stem}.xlsx"))
        if "pdf" in formats:
            written.append(write_manifest_pdf(manifest, folder / f"{stem}.pdf"))
    return written


def slug(name: str) -> str:
    """« Taxis de l'Avesnois & Fils » → « taxis-de-l-avesnois-fils »: safe in a file name
    on every system."""
    return "-".join(fold(name).split())[:_SLUG_LENGTH].strip("-") or "transporteur"


@dataclass(frozen=True)
class AnswerImport:
    sheet: AnswerSheet
    checked: CheckedAnswers
    recorded: AnswerReport | None  # None: the sheet has problems and nothing was recorded


def import_answers(db: Database, principal: Principal, path: Path) -> AnswerImport:
    """Record a signed-back answer sheet, all of it in one transaction, or nothing when any
    row is wrong."""
    sheet = read_answer_sheet(path)
    with db.reader() as session:
        known = _missions(session, {answer.mission_id for answer in sheet.answers})
    checked = check_answers(sheet, known)
    if checked.problems:
        return AnswerImport(sheet, checked, None)
    answers = [Answer(a.mission_id, a.version, a.accept, a.reason) for a in checked.to_record]
    return AnswerImport(sheet, checked, answer_missions(db, principal, answers))


def _missions(session: Session, wanted: Collection[int]) -> dict[int, MissionView]:
    """The missions among ``wanted`` that exist; the rest are the sheet's problem to report."""
    found: dict[int, MissionView] = {}
    for mission_id in sorted(wanted):
        try:
            found[mission_id] = missions_by_id(session, [mission_id])[0]
        except NotFoundError:
            continue
    return found


def invoice_preview_of(
    db: Database, principal: Principal, day: date, road_cache: Path | None = None
) -> tuple[InvoicePreview, InvoiceNames]:
    """The stored plan's invoices, on the distances it was planned with."""
    require(principal, Role.ADMIN, Role.REGULATOR, action="consulter l'aperçu des factures")
    with db.reader() as session:
        stored = day_plan(session, day)
        requests = open_requests(session, day)
        vehicles, carriers = fleet_on(session, day)
        home = centre_departement(session)
    if stored is None:
        raise NotFoundError(f"aucun plan pour le {day:%d/%m/%Y} : lancez « regul plan »")
    problem = problem_from_records(day, requests, vehicles, carriers, home_departement=home).problem
    known = {r.id for r in problem.requests}
    fleet = {v.id for v in problem.vehicles}
    # Trips cancelled and vehicles withdrawn since the plan was stored are billed by nobody.
    plan = Plan(
        tuple(
            Route(
                route.vehicle, tuple(s for s in route.stops if s.request in known or not s.request)
            )
            for route in stored_plan(stored).routes
            if route.vehicle in fleet
        )
    )
    preview = invoice_preview(problem, plan, stored_travel(problem, stored, road_cache))
    names = InvoiceNames(
        service_date=day,
        carriers={c.siret: c.name for c in carriers},
        patients={
            r.external_id: f"{r.patient.last_name.upper()} {r.patient.first_name}".strip()
            for r in requests
        },
        trips={r.external_id: f"{_where(r.pickup)} → {_where(r.dropoff)}" for r in requests},
    )
    return preview, names


def export_invoices(
    db: Database, principal: Principal, day: date, target: Path, road_cache: Path | None = None
) -> InvoicePreview:
    preview, names = invoice_preview_of(db, principal, day, road_cache)
    write_invoice_preview(preview, names, target)
    return preview


def _where(place: PlaceRecord) -> str:
    return place.commune or place.address or "?"


def count_words(count: int, one: str, many: str) -> str:
    return f"{count} {one if count < 2 else many}"


def report_lines(done: AnswerImport) -> Sequence[str]:
    """What an import of answers did, for the command line and the console."""
    recorded = done.recorded or AnswerReport()
    lines = [
        f"Réponses de {done.sheet.file} : "
        + ", ".join(
            (
                count_words(len(recorded.accepted), "acceptée", "acceptées"),
                count_words(len(recorded.refused), "refusée", "refusées"),
                count_words(
                    len(done.checked.already_recorded), "déjà enregistrée", "déjà enregistrées"
                ),
                count_words(done.sheet.unanswered, "sans réponse", "sans réponse"),
            )
        )
    ]
    if recorded.refused:
        lines.append("Trajets refusés, à replanifier : " + ", ".join(recorded.refused))
    return lines
