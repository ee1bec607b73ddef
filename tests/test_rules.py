"""Rule files: versioned by date, every check named, nothing silently ignored."""

from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from planning.attention import Flag, TripFacts, attention_flags
from planning.rules import CHECKS, RulesError, load_rule_sets, rules_on

SHIPPED = resources.files("planning").joinpath("data/rules/2025-03-01.toml").read_text("utf-8")


def test_shipped_rules_carry_the_decree_values() -> None:
    """The numbers of décret 2025-202 and the conventions, as domain.md gives them."""
    rules = rules_on(date(2026, 11, 24))
    assert rules.max_patients == {"TAXI": 4, "VSL": 3, "AMBULANCE": 1}
    assert (rules.detour_km_per_extra_patient, rules.max_detour_km) == (10.0, 30.0)
    assert rules.max_total_wait_minutes == 45 and rules.vsl_max_km_between_pickups == 10.0
    assert rules.shareable_modes == {"TAXI", "VSL"}
    assert "CONSULTATION" not in rules.eligible_care_types
    assert rules.checks == CHECKS and rules.source


def _folder(tmp_path: Path, text: str, name: str = "2026-01-01.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_a_newer_file_takes_over_from_its_date(tmp_path: Path) -> None:
    """A centre adds a dated file; days before it keep the older rules."""
    newer = SHIPPED.replace('version = "2025-03-01"', 'version = "2026-06-01"')
    newer = newer.replace("valid_from = 2025-03-01", "valid_from = 2026-06-01")
    newer = newer.replace("max_total_wait_minutes = 45", "max_total_wait_minutes = 30")
    folder = _folder(tmp_path, SHIPPED, "2025-03-01.toml")
    _folder(folder, newer, "2026-06-01.toml")
    sets = load_rule_sets(folder)
    assert rules_on(date(2026, 5, 31), sets).max_total_wait_minutes == 45
    assert rules_on(date(2026, 6, 1), sets).max_total_wait_minutes == 30


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (("shifts = true", "shifts = true\nteleport = false"), "contrôle inconnu teleport"),
        (("shifts = true\n", ""), "contrôle non précisé shifts"),
        (("shifts = true", 'shifts = "oui"'), "true ou false"),
        (("max_detour_km = 30.0", "max_detour_km = 'trente'"), "valeur manquante ou invalide"),
    ],
)
def test_a_broken_rule_file_is_refused_by_name(
    tmp_path: Path, change: tuple[str, str], words: str
) -> None:
    """A typo in a check name must not switch a rule off silently."""
    assert change[0] in SHIPPED
    folder = _folder(tmp_path, SHIPPED.replace(change[0], change[1], 1))
    with pytest.raises(RulesError, match=words) as caught:
        load_rule_sets(folder)
    assert "2026-01-01.toml" in str(caught.value)


def test_attention_flags_follow_the_rules() -> None:
    """Prior approval past 150 road km; sharing flagged on ineligible care or an ambulance."""
    rules = rules_on(date(2026, 11, 24))
    far = TripFacts("DIALYSIS", "TAXI", True, prior_approval_given=False, straight_km=120.0)
    assert attention_flags(far, rules) == (Flag.PRIOR_APPROVAL_NEEDED,)
    approved = TripFacts("DIALYSIS", "TAXI", True, prior_approval_given=True, straight_km=120.0)
    assert attention_flags(approved, rules) == ()
    near = TripFacts("DIALYSIS", "TAXI", True, prior_approval_given=False, straight_km=110.0)
    assert attention_flags(near, rules) == ()  # 143 road km
    both = TripFacts("CONSULTATION", "AMBULANCE", True, prior_approval_given=False, straight_km=5)
    assert set(attention_flags(both, rules)) == {
        Flag.SHARING_MODE_NOT_ALLOWED,
        Flag.SHARING_CARE_TYPE_NOT_ELIGIBLE,
    }
