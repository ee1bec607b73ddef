"""Carriers' manifests: each vehicle's stops of the day, as a workbook and as a printable PDF.

A manifest is built from the missions sent to a carrier, never from the plan in progress: it
is what the carrier was asked to do. It holds what a driver needs (times, names, phones,
addresses, position, companion, who shares the ride) and nothing clinical. The workbook is
also the answer sheet for carriers without access to the shared database: its first sheet
lists the missions with their number and version, and two columns to fill in (answer, and the
reason of a refusal), read back by :mod:`importers.answers`.

Names and addresses come from hospital exports: in the workbook they are written through
:mod:`importers.sheets_out` (never a formula), in the PDF escaped for reportlab's markup.
"""

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from importers.private_files import private_file
from importers.sheets_out import header, put, widths
from maps.thumbnail import MapStop, StopMark, route_thumbnail
from models.enums import Direction, MissionStatus, Mobility, TransportMode
from models.records import PlaceRecord
from models.repositories.missions import MissionView
from models.timezone import to_paris

ANSWER_SHEET = "Réponses"
MISSION_HEADER = "Mission n°"
VERSION_HEADER = "Version"
ANSWER_HEADER = "Réponse (A/R)"
REASON_HEADER = "Motif du refus"

MOBILITY_LABELS = {
    Mobility.SEATED: "assis",
    Mobility.LYING: "allongé",
    Mobility.WHEELCHAIR: "fauteuil",
}
STATUS_LABELS = {
    MissionStatus.PROPOSED: "proposée",
    MissionStatus.ACCEPTED: "acceptée",
    MissionStatus.REFUSED: "refusée",
    MissionStatus.EXPIRED: "expirée",
    MissionStatus.SUPERSEDED: "retirée",
    MissionStatus.DONE: "effectuée",
    MissionStatus.CANCELLED: "annulée",
}
DIRECTION_LABELS = {
    Direction.OUTBOUND: "aller",
    Direction.RETURN: "retour",
    Direction.TRANSFER: "transfert",
}
KIND_LABELS = {
    TransportMode.TAXI: "taxi",
    TransportMode.VSL: "VSL",
    TransportMode.AMBULANCE: "ambulance",
}
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class ManifestStop:
    """A pickup or a drop-off, numbered in the vehicle's order of the day."""

    number: int
    pickup: bool
    at: datetime  # Paris time
    place: PlaceRecord
    mission: MissionView
    companions: tuple[str, ...]  # names of the patients aboard at the same time


@dataclass(frozen=True)
class VehicleManifest:
    plate: str
    kind: TransportMode
    stops: tuple[ManifestStop, ...]
    missions: tuple[MissionView, ...]  # by pickup time

    def thumbnail(self, width: int = 640, height: int = 420) -> bytes:
        """The route as a PNG, stops numbered as in the manifest."""
        marks = [
            MapStop(
                stop.place.position.lat,
                stop.place.position.lon,
                str(stop.number),
                StopMark.PICKUP if stop.pickup else StopMark.DROPOFF,
            )
            for stop in self.stops
            if stop.place.position is not None
        ]
        return route_thumbnail(marks, width, height)


@dataclass(frozen=True)
class CarrierManifest:
    service_date: date
    carrier_siret: str
    carrier_name: str
    vehicles: tuple[VehicleManifest, ...]

    @property
    def missions(self) -> tuple[MissionView, ...]:
        return tuple(m for vehicle in self.vehicles for m in vehicle.missions)


def carrier_manifests(missions: Iterable[MissionView]) -> list[CarrierManifest]:
    """The missions grouped by carrier (by name) and vehicle (by plate), stops in driving
    order: by time, then by the sequence the plan gave them when pushed, which settles a
    drop-off and a pickup at the same minute."""
    by_carrier: dict[str, list[MissionView]] = {}
    for mission in missions:
        by_carrier.setdefault(mission.carrier_siret, []).append(mission)
    manifests = []
    for siret, own in by_carrier.items():
        names = {m.request_id: m.patient for m in own}
        plates: dict[str, list[MissionView]] = {}
        for mission in own:
            plates.setdefault(mission.vehicle_plate, []).append(mission)
        vehicles = tuple(_vehicle_manifest(plate, plates[plate], names) for plate in sorted(plates))
        days = sorted({m.service_date for m in own})
        manifests.append(CarrierManifest(days[0], siret, own[0].carrier_name, vehicles))
    return sorted(manifests, key=lambda m: (m.carrier_name.casefold(), m.carrier_siret))


def _vehicle_manifest(
    plate: str, missions: Sequence[MissionView], names: dict[str, str]
) -> VehicleManifest:
    ends = []
    for mission in missions:
        companions = tuple(names.get(rid, f"demande {rid}") for rid in mission.shared_with)
        ends.append((mission.pickup_at, mission.pickup_sequence, 0, mission, True, companions))
        ends.append((mission.dropoff_at, mission.dropoff_sequence, 1, mission, False, companions))
    ends.sort(key=lambda end: (end[0], end[1], end[2], end[3].id))
    stops = tuple(
        ManifestStop(
            number=number,
            pickup=pickup,
            at=to_paris(at),
            place=mission.pickup if pickup else mission.dropoff,
            mission=mission,
            companions=companions,
        )
        for number, (at, _, _, mission, pickup, companions) in enumerate(ends, start=1)
    )
    ordered = tuple(sorted(missions, key=lambda m: (m.pickup_at, m.pickup_sequence, m.id)))
    return VehicleManifest(plate, missions[0].vehicle_kind, stops, ordered)


def french_day(day: date) -> str:
    """« mardi 24 novembre 2026 »."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def address_line(place: PlaceRecord) -> str:
    town = " ".join(part for part in (place.postcode, place.commune) if part)
    return ", ".join(part for part in (place.address, town) if part) or "adresse inconnue"


def clock(moment: datetime | None) -> str:
    return "" if moment is None else f"{to_paris(moment):%H:%M}"


def _appointment(mission: MissionView) -> str:
    if mission.appointment_at is not None:
        return f"RDV {clock(mission.appointment_at)}"
    if mission.ready_at is not None:
        return f"prêt à {clock(mission.ready_at)}"
    return ""


# --- Workbook ------------------------------------------------------------------------------

_ANSWER_COLUMNS = (
    (MISSION_HEADER, 10),
    (VERSION_HEADER, 8),
    ("Véhicule", 12),
    ("Prise en charge", 9),
    ("Dépose", 9),
    ("Patient", 26),
    ("Téléphone", 15),
    ("Départ", 36),
    ("Arrivée", 36),
    ("Sens", 9),
    ("RDV / sortie", 12),
    ("Position", 10),
    ("Accompagnant", 9),
    ("Partagé avec", 26),
    ("Statut", 11),
    (ANSWER_HEADER, 14),
    (REASON_HEADER, 36),
)
_STOP_COLUMNS = (
    ("N°", 5),
    ("Heure", 8),
    ("Arrêt", 15),
    ("Patient", 26),
    ("Téléphone", 15),
    ("Adresse", 30),
    ("Code postal", 10),
    ("Commune", 20),
    ("Position", 10),
    ("Accompagnant", 9),
    ("Partagé avec", 26),
    ("Sens", 9),
    ("RDV / sortie", 12),
    (MISSION_HEADER, 10),
    ("Statut", 11),
)
ANSWER_HEADER_ROW = 4
_TITLE_FONT = Font(bold=True, size=13)
_NOTE_FONT = Font(italic=True, color="555555")
_TECHNICAL_FONT = Font(color="888888", size=8)


def write_manifest_xlsx(manifest: CarrierManifest, target: Path) -> Path:
    """The carrier's workbook: the answer sheet first, then one sheet per vehicle with its
    stops in order and its route's map."""
    workbook = Workbook()
    answers = workbook.active
    assert answers is not None
    answers.title = ANSWER_SHEET
    _answer_sheet(answers, manifest)
    used: set[str] = {ANSWER_SHEET}
    for vehicle in manifest.vehicles:
        sheet = workbook.create_sheet(_sheet_title(vehicle.plate, used))
        _vehicle_sheet(sheet, manifest, vehicle)
    with private_file(target) as partial:
        workbook.save(partial)
    return target


def _answer_sheet(sheet: Worksheet, manifest: CarrierManifest) -> None:
    title = (
        f"Missions de {manifest.carrier_name} (SIRET {manifest.carrier_siret}) — "
        f"{french_day(manifest.service_date)}"
    )
    put(sheet, 1, 1, title).font = _TITLE_FONT
    put(
        sheet,
        2,
        1,
        f"Répondez à chaque mission proposée dans la colonne « {ANSWER_HEADER} » : A pour "
        f"accepter, R pour refuser (motif obligatoire dans « {REASON_HEADER} »), puis "
        "renvoyez ce fichier au régulateur. Ne modifiez pas les colonnes "
        f"« {MISSION_HEADER} » et « {VERSION_HEADER} ».",
    ).font = _NOTE_FONT
    deadlines = [
        m.expires_at
        for m in manifest.missions
        if m.status is MissionStatus.PROPOSED and m.expires_at is not None
    ]
    if deadlines:
        deadline = to_paris(min(deadlines))
        put(
            sheet, 3, 1, f"Réponse attendue avant le {deadline:%d/%m/%Y à %H:%M}."
        ).font = _NOTE_FONT
    header(sheet, ANSWER_HEADER_ROW, (name for name, _ in _ANSWER_COLUMNS))
    widths(sheet, (width for _, width in _ANSWER_COLUMNS))
    row = ANSWER_HEADER_ROW
    for vehicle in manifest.vehicles:
        for mission in vehicle.missions:
            row += 1
            values = (
                mission.id,
                mission.version,
                vehicle.plate,
                _time_of(mission.pickup_at),
                _time_of(mission.dropoff_at),
                mission.patient,
                mission.patient_phone or "",
                address_line(mission.pickup),
                address_line(mission.dropoff),
                DIRECTION_LABELS[mission.direction],
                _appointment(mission),
                MOBILITY_LABELS[mission.mobility],
                "oui" if mission.companion else "non",
                _names(mission, manifest),
                STATUS_LABELS[mission.status],
                None,
                None,
            )
            for column, value in enumerate(values, start=1):
                put(sheet, row, column, value)
            for column in (1, 2):
                sheet.cell(row=row, column=column).font = _TECHNICAL_FONT
    answer_column = len(_ANSWER_COLUMNS) - 1
    choices = DataValidation(
        type="list",
        formula1='"A,R"',
        allow_blank=True,
        showErrorMessage=False,  # « Oui », « Refusé »… are read as well
        promptTitle="Réponse",
        prompt="A : accepter ; R : refuser (motif obligatoire)",
        showInputMessage=True,
    )
    sheet.add_data_validation(choices)
    if row > ANSWER_HEADER_ROW:
        letter = get_column_letter(answer_column)
        choices.add(f"{letter}{ANSWER_HEADER_ROW + 1}:{letter}{row}")
    sheet.freeze_panes = f"C{ANSWER_HEADER_ROW + 1}"
    sheet.print_title_rows = f"{ANSWER_HEADER_ROW}:{ANSWER_HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _vehicle_sheet(sheet: Worksheet, manifest: CarrierManifest, vehicle: VehicleManifest) -> None:
    title = (
        f"{manifest.carrier_name} — {french_day(manifest.service_date)} — véhicule "
        f"{vehicle.plate} ({KIND_LABELS[vehicle.kind]})"
    )
    put(sheet, 1, 1, title).font = _TITLE_FONT
    header(sheet, 3, (name for name, _ in _STOP_COLUMNS))
    widths(sheet, (width for _, width in _STOP_COLUMNS))
    row = 3
    for stop in vehicle.stops:
        row += 1
        mission = stop.mission
        values = (
            stop.number,
            stop.at.time().replace(second=0, microsecond=0),
            "Prise en charge" if stop.pickup else "Dépose",
            mission.patient,
            mission.patient_phone or "",
            stop.place.address or "",
            stop.place.postcode or "",
            stop.place.commune or "",
            MOBILITY_LABELS[mission.mobility],
            "oui" if mission.companion else "non",
            ", ".join(stop.companions),
            DIRECTION_LABELS[mission.direction],
            _appointment(mission),
            mission.id,
            STATUS_LABELS[mission.status],
        )
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            cell.alignment = Alignment(vertical="top", wrap_text=column in (6, 11))
    picture = SheetImage(io.BytesIO(vehicle.thumbnail(560, 360)))
    sheet.add_image(picture, f"A{row + 2}")
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"


def _names(mission: MissionView, manifest: CarrierManifest) -> str:
    names = {m.request_id: m.patient for m in manifest.missions}
    return ", ".join(names.get(rid, f"demande {rid}") for rid in mission.shared_with)


def _time_of(moment: datetime) -> time:
    return to_paris(moment).time().replace(second=0, microsecond=0)


def _sheet_title(plate: str, used: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = plate.translate(_SHEET_TITLE_FORBIDDEN).strip("'")[:28] or "Véhicule"
    title, n = base, 1
    while title.casefold() in {u.casefold() for u in used}:
        n += 1
        title = f"{base[:27]}~{n}"
    used.add(title)
    return title


# --- PDF -----------------------------------------------------------------------------------

_PAGE = landscape(A4)
_MARGIN = 1.2 * cm
_HEADER_SPACE = 1.3 * cm
# A font with the accents of every European name, where the system has one (Windows' Arial,
# Linux's DejaVu, macOS' Arial); else the PDF standard Helvetica, which knows Western European
# letters only, the others being spelt without their accent (see _printable).
_FONT_FILES = (
    ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),  # as narrow as Helvetica
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
_FONT_FOLDERS = (
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/dejavu"),
    Path("/System/Library/Fonts/Supplemental"),
    Path("/Library/Fonts"),
)
_UNACCENTED = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Ħ": "H", "ħ": "h"})


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    unicode: bool


@cache
def _fonts() -> _Fonts:
    for regular, bold in _FONT_FILES:
        for folder in _FONT_FOLDERS:
            if (folder / regular).is_file() and (folder / bold).is_file():
                try:
                    pdfmetrics.registerFont(TTFont("RegulSans", str(folder / regular)))
                    pdfmetrics.registerFont(TTFont("RegulSans-Bold", str(folder / bold)))
                except (OSError, TTFError):
                    continue
                return _Fonts("RegulSans", "RegulSans-Bold", unicode=True)
    return _Fonts("Helvetica", "Helvetica-Bold", unicode=False)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    fonts = _fonts()
    sample = getSampleStyleSheet()
    cell = ParagraphStyle(
        "cell", parent=sample["BodyText"], fontName=fonts.regular, fontSize=8.5, leading=10.5
    )
    return {
        "cell": cell,
        "cell-bold": ParagraphStyle("cell-bold", parent=cell, fontName=fonts.bold),
        "head": ParagraphStyle(
            "head", parent=cell, fontName=fonts.bold, textColor=colors.white, fontSize=8.5
        ),
        "title": ParagraphStyle(
            "title", parent=sample["Heading2"], fontName=fonts.bold, spaceBefore=0, spaceAfter=4
        ),
        "fact": ParagraphStyle("fact", parent=cell, fontSize=9.5, leading=12.5, spaceAfter=3),
    }


def _printable(text: str) -> str:
    """The text as the chosen font can draw it: whole with a Unicode font; with Helvetica,
    letters outside Windows-1252 lose their accent (« Łukasz » → « Lukasz »), others become
    « ? », rather than printing as black boxes."""
    if _fonts().unicode:
        return text
    kept = []
    for char in text.translate(_UNACCENTED):
        if _in_cp1252(char):
            kept.append(char)
            continue
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        kept.append(plain if plain and all(_in_cp1252(c) for c in plain) else "?")
    return "".join(kept)


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


_ROUTE_BLUE = colors.HexColor("#1F5EA8")
_STOP_WIDTHS = (0.9, 1.5, 2.4, 4.6, 6.2, 1.8, 1.2, 4.0, 2.4, 2.2)  # cm: 27.2 of 27.3


def _p(text: str, style: str = "cell") -> Paragraph:
    """A paragraph of plain text: whatever the text holds, reportlab reads no markup in it."""
    return Paragraph(escape(_printable(text)).replace("\n", "<br/>"), _styles()[style])


class _Section(Flowable):
    """Marks where a vehicle's section starts, for the page header drawn after the page."""

    def __init__(self, vehicle: VehicleManifest) -> None:
        super().__init__()
        self.vehicle = vehicle
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._regul_vehicle = self.vehicle  # type: ignore[attr-defined]


def write_manifest_pdf(manifest: CarrierManifest, target: Path) -> Path:
    """The carrier's manifest to print: one section per vehicle (its route's map, then its
    stops in order), each page headed with the carrier, the day and the vehicle."""
    pdf = io.BytesIO()
    document = BaseDocTemplate(
        pdf,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + _HEADER_SPACE,
        bottomMargin=_MARGIN,
        title=f"Manifeste {manifest.carrier_name} {manifest.service_date:%d/%m/%Y}",
        author="Régul",
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        id="body",
    )

    def page_end(canvas: Canvas, doc: BaseDocTemplate) -> None:
        _page_header(canvas, doc, manifest)

    document.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=page_end)])
    story: list[Flowable] = []
    for index, vehicle in enumerate(manifest.vehicles):
        if index:
            story.append(PageBreak())
        story.extend(_vehicle_section(manifest, vehicle))
    if not manifest.vehicles:
        story.append(_p("Aucune mission pour ce jour.", "title"))
    document.build(story)
    with private_file(target) as partial:
        partial.write_bytes(pdf.getvalue())
    return target


def _vehicle_section(manifest: CarrierManifest, vehicle: VehicleManifest) -> list[Flowable]:
    missions = len(vehicle.missions)
    first, last = vehicle.stops[0].at, vehicle.stops[-1].at
    title = f"Véhicule {vehicle.plate} ({KIND_LABELS[vehicle.kind]})"
    facts = [
        f"{missions} mission{'s' if missions > 1 else ''}, {len(vehicle.stops)} arrêts, "
        f"de {first:%H:%M} à {last:%H:%M}.",
    ]
    pending = [m for m in vehicle.missions if m.status is MissionStatus.PROPOSED]
    if pending:
        facts.append(
            f"{len(pending)} en attente de réponse : répondez dans Régul ou sur la feuille "
            f"« {ANSWER_SHEET} » du classeur (A pour accepter, R pour refuser avec le motif)."
        )
        deadlines = [m.expires_at for m in pending if m.expires_at is not None]
        if deadlines:
            facts.append(f"Réponse attendue avant {clock(min(deadlines))}.")
    shared = sum(1 for m in vehicle.missions if m.shared_with)
    if shared:
        facts.append(f"{shared} patient(s) en transport partagé : voir « Partagé avec ».")
    facts.append(
        "Carte : les numéros sont ceux des arrêts ci-dessous ; prise en charge en plein, "
        "dépose en creux ; la flèche donne le sens de circulation."
    )
    side: list[Flowable] = [_p(title, "title")]
    side += [_p(fact, "fact") for fact in facts]
    picture = Image(io.BytesIO(vehicle.thumbnail(880, 540)), width=11 * cm, height=6.75 * cm)
    block = Table([[picture, side]], colWidths=[11.4 * cm, None])
    block.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 10),
            ]
        )
    )
    return [_Section(vehicle), block, Spacer(1, 8), _stops_table(vehicle)]


def _stops_table(vehicle: VehicleManifest) -> Table:
    titles = (
        "N°",
        "Heure",
        "Arrêt",
        "Patient",
        "Adresse",
        "Position",
        "Acc.",
        "Partagé avec",
        "Sens",
        "Mission",
    )
    rows: list[list[Flowable]] = [[_p(text, "head") for text in titles]]
    for stop in vehicle.stops:
        mission = stop.mission
        patient = mission.patient + (f"\n{mission.patient_phone}" if mission.patient_phone else "")
        when = _appointment(mission)
        rows.append(
            [
                _p(str(stop.number), "cell-bold"),
                _p(f"{stop.at:%H:%M}", "cell-bold"),
                _p("Prise en charge" if stop.pickup else "Dépose"),
                _p(patient),
                _p(address_line(stop.place)),
                _p(MOBILITY_LABELS[mission.mobility]),
                _p("oui" if mission.companion else "non"),
                _p(", ".join(stop.companions) or "—"),
                _p(DIRECTION_LABELS[mission.direction] + (f"\n{when}" if when else "")),
                _p(f"n° {mission.id} (v{mission.version})\n{STATUS_LABELS[mission.status]}"),
            ]
        )
    table = Table(rows, colWidths=[w * cm for w in _STOP_WIDTHS], repeatRows=1)
    style: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), _ROUTE_BLUE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#B8C2CC")),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index, stop in enumerate(vehicle.stops, start=1):
        if not stop.pickup:
            style.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#F1F4F8")))
    table.setStyle(TableStyle(style))
    return table


def _page_header(canvas: Canvas, doc: BaseDocTemplate, manifest: CarrierManifest) -> None:
    """Carrier, day and vehicle on every page (drawn once the page is laid out, so that the
    vehicle is the one whose section the page shows)."""
    vehicle: VehicleManifest | None = getattr(canvas, "_regul_vehicle", None)
    fonts = _fonts()
    width, height = _PAGE
    top = height - _MARGIN
    canvas.saveState()
    canvas.setFont(fonts.bold, 12)
    canvas.drawString(_MARGIN, top - 12, _printable(manifest.carrier_name))
    canvas.drawCentredString(width / 2, top - 12, french_day(manifest.service_date))
    if vehicle is not None:
        plate = _printable(f"Véhicule {vehicle.plate} ({KIND_LABELS[vehicle.kind]})")
        canvas.drawRightString(width - _MARGIN, top - 12, plate)
    canvas.setFont(fonts.regular, 9)
    canvas.drawString(
        _MARGIN, top - 25, f"SIRET {manifest.carrier_siret} — manifeste du transport sanitaire"
    )
    canvas.setStrokeColor(_ROUTE_BLUE)
    canvas.setLineWidth(1.2)
    canvas.line(_MARGIN, top - 31, width - _MARGIN, top - 31)
    canvas.setFont(fonts.regular, 7.5)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(
        _MARGIN,
        _MARGIN / 2,
        "Données personnelles de patients : réservé au transporteur et à ses conducteurs.",
    )
    canvas.drawRightString(width - _MARGIN, _MARGIN / 2, f"page {doc.page}")
    canvas.restoreState()
