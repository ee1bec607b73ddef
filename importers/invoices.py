"""The day's invoice preview as a workbook: a line per patient's trip, totals per carrier.

Amounts are estimates from the tariff files, for the regulator to check what the plan makes
each carrier bill and the Assurance Maladie pay; they are not invoices. A trip whose patient
refused the shared ride offered is marked as the carrier must mark its invoice.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from importers.manifests import french_day
from importers.private_files import private_file
from importers.sheets_out import header, put, widths
from planning.invoices import CarrierTotals, InvoicePreview, RefusalEffect

EUROS = '#,##0.00 "€"'
PERCENT = "0%"
COVERAGE_LABELS = {
    "STANDARD": "droit commun",
    "ALD": "ALD",
    "WORK_ACCIDENT": "AT/MP",
    "MATERNITY": "maternité",
    "NEWBORN": "nouveau-né",
    "C2S": "C2S",
    "AME": "AME",
    "ALSACE_MOSELLE": "Alsace-Moselle",
    "INTER_ESTABLISHMENT": "transfert inter-établissements",
}
MODE_LABELS = {"TAXI": "taxi", "VSL": "VSL", "AMBULANCE": "ambulance"}
REFUSAL_LABELS = {
    RefusalEffect.NONE: "",
    RefusalEffect.APPLIED: (
        "Transport partagé refusé par le patient : à mentionner sur la facture ; sans tiers "
        "payant, remboursé sur la base du transport partagé"
    ),
    RefusalEffect.EXEMPT: (
        "Transport partagé refusé par le patient (C2S ou AME : prise en charge inchangée)"
    ),
    RefusalEffect.NOT_ELIGIBLE: (
        "Refus du transport partagé noté ; trajet non éligible au partage : sans effet"
    ),
}
LINES_SHEET = "Factures"
TOTALS_SHEET = "Totaux par transporteur"
_REFUSAL_FILL = PatternFill("solid", fgColor="FDEBD0")
_BOLD = Font(bold=True)
_LINE_COLUMNS = (
    ("Transporteur", 28),
    ("SIRET", 16),
    ("Véhicule", 12),
    ("Type", 10),
    ("Demande", 16),
    ("Patient", 24),
    ("Trajet", 34),
    ("Prise en charge", 9),
    ("km facturés", 9),
    ("Patients à bord", 9),
    ("Montant avant remise", 12),
    ("Remise partage", 9),
    ("Remise", 10),
    ("Montant facturé", 12),
    ("Couverture", 14),
    ("Taux AM", 8),
    ("Base de remboursement", 12),
    ("Part Assurance Maladie", 12),
    ("Franchise", 10),
    ("Payé par l'Assurance Maladie", 12),
    ("Part patient", 10),
    ("Tiers payant", 8),
    ("Refus du transport partagé", 60),
    ("Tarif à vérifier", 9),
)
_TOTAL_COLUMNS = (
    ("Transporteur", 28),
    ("SIRET", 16),
    ("Trajets", 8),
    ("Montant avant remise", 14),
    ("Remises partage", 12),
    ("Montant facturé", 14),
    ("Part Assurance Maladie", 14),
    ("Franchises", 12),
    ("Payé par l'Assurance Maladie", 14),
    ("Part patients", 12),
    ("Avancé par les patients (refus du partage)", 18),
)


@dataclass(frozen=True)
class InvoiceNames:
    """What the plan knows by key, as people read it."""

    service_date: date
    carriers: Mapping[str, str]  # SIRET → name
    patients: Mapping[str, str]  # request external id → patient's name
    trips: Mapping[str, str]  # request external id → "Roubaix → CH de Lille"


def write_invoice_preview(preview: InvoicePreview, names: InvoiceNames, target: Path) -> Path:
    workbook = Workbook()
    lines = workbook.active
    assert lines is not None
    lines.title = LINES_SHEET
    _lines_sheet(lines, preview, names)
    _totals_sheet(workbook.create_sheet(TOTALS_SHEET), preview, names)
    _sources_sheet(workbook.create_sheet("Sources"), preview, names)
    with private_file(target) as partial:
        workbook.save(partial)
    return target


def _lines_sheet(sheet: Worksheet, preview: InvoicePreview, names: InvoiceNames) -> None:
    header(sheet, 1, (title for title, _ in _LINE_COLUMNS))
    widths(sheet, (width for _, width in _LINE_COLUMNS))
    for row, line in enumerate(preview.lines, start=2):
        minutes = round(line.pickup_time / 60)
        values = (
            names.carriers.get(line.carrier, line.carrier),
            line.carrier,
            line.vehicle,
            MODE_LABELS.get(line.mode, line.mode),
            line.request_id,
            names.patients.get(line.request_id, ""),
            names.trips.get(line.request_id, ""),
            time((minutes // 60) % 24, minutes % 60),
            line.km,
            line.patients_sharing,
            line.before_discount,
            line.discount_rate,
            line.discount,
            line.billed,
            COVERAGE_LABELS.get(line.coverage, line.coverage),
            line.rate,
            line.reimbursement_base,
            line.insurer_share,
            line.franchise,
            line.insurer_pays,
            line.patient_pays,
            "oui" if line.tiers_payant else "non",
            REFUSAL_LABELS[line.refusal],
            "oui" if line.unverified else "",
        )
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row, column, value)
            if isinstance(value, Decimal):
                cell.number_format = PERCENT if column in (12, 16) else EUROS
            if line.refusal is not RefusalEffect.NONE:
                cell.fill = _REFUSAL_FILL
    sheet.freeze_panes = "F2"
    sheet.auto_filter.ref = sheet.dimensions


def _totals_sheet(sheet: Worksheet, preview: InvoicePreview, names: InvoiceNames) -> None:
    header(sheet, 1, (title for title, _ in _TOTAL_COLUMNS))
    widths(sheet, (width for _, width in _TOTAL_COLUMNS))
    row = 1
    for row, totals in enumerate(preview.totals, start=2):
        _totals_row(sheet, row, names.carriers.get(totals.carrier, totals.carrier), totals)
    _totals_row(sheet, row + 1, "Total", preview.grand_total)
    for cell in sheet[row + 1]:
        cell.font = _BOLD
    sheet.freeze_panes = "C2"


def _totals_row(sheet: Worksheet, row: int, name: str, totals: CarrierTotals) -> None:
    values = (
        name,
        totals.carrier,
        totals.trips,
        totals.before_discount,
        totals.discount,
        totals.billed,
        totals.insurer_share,
        totals.franchise,
        totals.insurer_pays,
        totals.patient_pays,
        totals.advanced_by_patients,
    )
    for column, value in enumerate(values, start=1):
        cell = put(sheet, row, column, value)
        if isinstance(value, Decimal):
            cell.number_format = EUROS


def _sources_sheet(sheet: Worksheet, preview: InvoicePreview, names: InvoiceNames) -> None:
    tariffs = preview.tariffs
    refusal = tariffs.sharing_refusal
    rows = (
        ("Aperçu des factures du", french_day(names.service_date)),
        ("Nature", "estimation à partir des tarifs de Régul : ce ne sont pas des factures"),
        ("Tarifs", f"version {tariffs.version}, en vigueur au {tariffs.valid_from:%d/%m/%Y}"),
        ("Source des tarifs", tariffs.source.text),
        (
            "Montants à vérifier",
            "oui : certains tarifs utilisés sont marqués non vérifiés"
            if preview.unverified
            else "non",
        ),
        (
            "Refus du transport partagé",
            f"sans tiers payant : {'oui' if refusal.loses_tiers_payant else 'non'} ; base de "
            f"remboursement : prix du transport partagé à {refusal.base_patients_sharing} "
            f"patients ; exemptés : {', '.join(sorted(refusal.exempt_coverages))}",
        ),
        (
            "Source (refus)",
            refusal.source.text + (" (non vérifié)" if refusal.source.unverified else ""),
        ),
        (
            "Franchise",
            "retenue trajet par trajet dans l'ordre de la journée, dans la limite du plafond "
            "journalier par patient ; le plafond annuel n'est pas appliqué",
        ),
    )
    for row, (label, value) in enumerate(rows, start=1):
        put(sheet, row, 1, label).font = _BOLD
        put(sheet, row, 2, value)
    widths(sheet, (28, 120))
