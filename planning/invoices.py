"""The day's invoices line by line, as each carrier would bill each patient's trip.

The same trips and prices as the plan's costs (:func:`planning.plan_costs.planned_trips`,
:func:`planning.costs.trip_price`), laid out for a person to check: the fare before the
shared discount, the discount by patients aboard together, the amount billed, and who pays
it. Two things the cost KPIs leave aside are applied here: the franchise's daily cap per
patient, counted over the patient's trips in the order of the day, and the patient's refusal
of a shared ride (décret 2025-202), whose terms come from the tariff file.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from decimal import Decimal
from enum import StrEnum

from planning.costs import reimbursement, trip_price
from planning.formulation import shareable
from planning.model import Problem
from planning.plan import Plan
from planning.plan_costs import ADULT, PlannedTrip, planned_trips
from planning.tariffs import Sharing, TariffSet, tariffs_on
from planning.travel import Travel


class RefusalEffect(StrEnum):
    """What the patient's refusal of a shared ride does to the invoice."""

    NONE = "NONE"  # no refusal on record
    APPLIED = "APPLIED"  # no tiers payant, reimbursed on the shared ride's price
    EXEMPT = "EXEMPT"  # C2S or AME: noted, rights unchanged
    NOT_ELIGIBLE = "NOT_ELIGIBLE"  # the trip could not be shared anyway: no consequence


@dataclass(frozen=True)
class InvoiceLine:
    """One patient's trip. Amounts in euros, to the cent; ``discount`` is what the shared
    discount takes off ``before_discount`` to give ``billed``; the coverage's rate applies to
    ``reimbursement_base`` (the amount billed, or after a refusal the shared ride's price)."""

    request_id: str
    patient: str  # the patient's key (issuer/file number): one franchise cap per patient
    carrier: str  # SIRET
    vehicle: str
    mode: str
    pickup_time: int  # seconds after midnight
    km: float
    patients_sharing: int  # the most patients aboard together during the trip
    discount_rate: Decimal
    before_discount: Decimal
    discount: Decimal
    billed: Decimal
    coverage: str
    rate: Decimal
    reimbursement_base: Decimal
    insurer_share: Decimal
    franchise: Decimal
    insurer_pays: Decimal
    patient_pays: Decimal
    tiers_payant: bool  # False: the patient advances the whole amount to the carrier
    refusal: RefusalEffect
    unverified: bool  # priced from tariff values marked unverified


@dataclass(frozen=True)
class CarrierTotals:
    carrier: str
    trips: int
    before_discount: Decimal
    discount: Decimal
    billed: Decimal
    insurer_share: Decimal
    franchise: Decimal
    insurer_pays: Decimal
    patient_pays: Decimal
    advanced_by_patients: Decimal  # billed without tiers payant: the patient pays it all first


@dataclass(frozen=True)
class InvoicePreview:
    tariffs: TariffSet
    lines: tuple[InvoiceLine, ...]
    totals: tuple[CarrierTotals, ...]  # by carrier SIRET

    @property
    def grand_total(self) -> CarrierTotals:
        return add_up("", self.lines)

    @property
    def unverified(self) -> bool:
        return any(line.unverified for line in self.lines) or (
            any(line.refusal is RefusalEffect.APPLIED for line in self.lines)
            and self.tariffs.sharing_refusal.source.unverified
        )


def invoice_preview(
    problem: Problem, plan: Plan, travel: Travel, tariffs: TariffSet | None = None
) -> InvoicePreview:
    """Every served trip's invoice, by carrier then pickup time, and each carrier's totals."""
    tariffs = tariffs or tariffs_on(problem.day)
    trips = planned_trips(problem, plan, travel)
    earlier: dict[str, int] = {}  # trips each patient already had, for the franchise's cap
    lines = []
    for planned in sorted(trips, key=lambda p: (p.trip.start, p.request.id)):
        patient = planned.request.patient
        lines.append(_line(problem, planned, tariffs, earlier.get(patient, 0)))
        earlier[patient] = earlier.get(patient, 0) + 1
    lines.sort(key=lambda line: (line.carrier, line.vehicle, line.pickup_time, line.request_id))
    return InvoicePreview(tariffs, tuple(lines), _totals(lines))


def _line(
    problem: Problem, planned: PlannedTrip, tariffs: TariffSet, trips_before: int
) -> InvoiceLine:
    request, vehicle, trip = planned.request, planned.vehicle, planned.trip
    price = trip_price(trip, tariffs)
    alone = (
        trip_price(replace(trip, patients_sharing=1), tariffs)
        if trip.patients_sharing > 1
        else price
    )
    refusal = _refusal(problem, planned, tariffs)
    base = price.amount
    unverified = price.unverified
    if refusal is RefusalEffect.APPLIED:
        rule = tariffs.sharing_refusal
        sharing = max(trip.patients_sharing, rule.base_patients_sharing)
        shared = trip_price(replace(trip, patients_sharing=sharing), tariffs)
        base = shared.amount
        unverified = unverified or shared.unverified or rule.source.unverified
    paid = reimbursement(
        base, request.coverage, request.age or ADULT, trips_before, tariffs=tariffs
    )
    tiers_payant = not (
        refusal is RefusalEffect.APPLIED and tariffs.sharing_refusal.loses_tiers_payant
    )
    return InvoiceLine(
        request_id=request.id,
        patient=request.patient,
        carrier=vehicle.carrier,
        vehicle=vehicle.id,
        mode=trip.mode,
        pickup_time=round((trip.start - datetime.combine(problem.day, time(0))).total_seconds()),
        km=trip.km,
        patients_sharing=trip.patients_sharing,
        discount_rate=_discount_rate(
            tariffs, trip.mode, trip.patients_sharing, trip.sefi_geolocated
        ),
        before_discount=alone.amount,
        discount=alone.amount - price.amount,
        billed=price.amount,
        coverage=request.coverage,
        rate=paid.rate,
        reimbursement_base=base,
        insurer_share=paid.share,
        franchise=paid.franchise,
        insurer_pays=paid.insurer_pays,
        patient_pays=price.amount - paid.insurer_pays,
        tiers_payant=tiers_payant,
        refusal=refusal,
        unverified=unverified,
    )


def _refusal(problem: Problem, planned: PlannedTrip, tariffs: TariffSet) -> RefusalEffect:
    """The refusal counts where a shared ride could have been offered: the prescription and
    the care type allow it, in a taxi or a VSL; C2S and AME beneficiaries keep their rights."""
    request = planned.request
    if not request.sharing_refused:
        return RefusalEffect.NONE
    rules = problem.rules
    offered = shareable(rules, replace(request, sharing_refused=False)) and (
        rules.sharing_allowed_in(planned.vehicle.kind.value)
    )
    if not offered:
        return RefusalEffect.NOT_ELIGIBLE
    if request.coverage in tariffs.sharing_refusal.exempt_coverages:
        return RefusalEffect.EXEMPT
    return RefusalEffect.APPLIED


def _discount_rate(tariffs: TariffSet, mode: str, patients: int, sefi: bool) -> Decimal:
    """The tariff's shared discount for ``patients`` aboard (0 alone), as the price applied."""
    if patients < 2:
        return Decimal(0)
    sharing: Sharing = {
        "TAXI": tariffs.taxi.sharing,
        "VSL": tariffs.vsl.sharing,
        "AMBULANCE": tariffs.ambulance.sharing,
    }[mode]
    table = sharing.sefi_discounts if sefi else sharing.discounts
    return table.get(patients, Decimal(0))


def _totals(lines: Sequence[InvoiceLine]) -> tuple[CarrierTotals, ...]:
    by_carrier: dict[str, list[InvoiceLine]] = {}
    for line in lines:
        by_carrier.setdefault(line.carrier, []).append(line)
    return tuple(add_up(carrier, own) for carrier, own in sorted(by_carrier.items()))


def add_up(carrier: str, lines: Sequence[InvoiceLine]) -> CarrierTotals:
    """The sums of ``lines`` (one carrier's, or the whole day's with ``carrier`` empty)."""

    def total(amounts: Iterable[Decimal]) -> Decimal:
        return sum(amounts, Decimal(0))

    return CarrierTotals(
        carrier=carrier,
        trips=len(lines),
        before_discount=total(line.before_discount for line in lines),
        discount=total(line.discount for line in lines),
        billed=total(line.billed for line in lines),
        insurer_share=total(line.insurer_share for line in lines),
        franchise=total(line.franchise for line in lines),
        insurer_pays=total(line.insurer_pays for line in lines),
        patient_pays=total(line.patient_pays for line in lines),
        advanced_by_patients=total(line.billed for line in lines if not line.tiers_payant),
    )
