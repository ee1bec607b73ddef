"""Published benchmark instances: reading them, the independent check, and the search on them."""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from planning.benchmarks import cordeau, lilim
from planning.benchmarks.errors import InstanceError
from planning.benchmarks.runs import labelled, run_search, run_vroom
from planning.benchmarks.verify import Visit, verify
from planning.lns.instance import PdpInstance
from planning.lns.search import SearchParams, solve
from regul.cli import main

DATA = Path(__file__).parent / "data" / "benchmarks"
A2_16 = DATA / "darp" / "a2-16.txt"
PR01 = DATA / "darp" / "pr01"
LC101 = DATA / "pdptw" / "lc101.txt"
A2_16_OPTIMUM = 294.24795014249145


def _optimal_a2_16() -> list[list[int]]:
    document = json.loads((DATA / "darp" / "a2-16.rf_soln.json").read_text())
    return [[0, *route, 33] for route in document["routes"]]


def _optimal_visits(problem: PdpInstance) -> list[list[Visit]]:
    """The proven-optimal routes of a2-16, timed by the search's earliest schedule."""
    routes = _optimal_a2_16()
    solution = replace(
        solve(problem, SearchParams(time_limit_s=1, iterations=1)),
        routes=tuple(np.array(r, dtype=np.int64) for r in routes),
    )
    return _timed(routes, [solution.schedule(problem, k) for k in range(2)])


def _timed(problem_routes: list[list[int]], times: list[np.ndarray]) -> list[list[Visit]]:
    return [
        [Visit(n, float(t)) for n, t in zip(route, when, strict=True)]
        for route, when in zip(problem_routes, times, strict=True)
    ]


def test_cordeau_files_are_read_as_their_header_says() -> None:
    bench = cordeau.read(A2_16)
    problem = bench.problem
    assert (problem.requests, problem.vehicles) == (16, 2)
    assert problem.ride_limit[0] == 30 and problem.max_duration[0] == 480
    assert int(problem.capacity[0, 0]) == 3
    assert list(problem.deliveries[:2]) == [17, 18]
    assert problem.vehicle_end[0] == 33
    pr01 = cordeau.read(PR01)
    assert pr01.problem.requests == 24
    # the pr files have one depot line: the end depot is node 0 again in the output
    assert pr01.labels[-1] == 0 and pr01.problem.vehicle_end[0] == 49


def test_li_lim_files_pair_pickups_with_deliveries() -> None:
    problem = lilim.read(LC101).problem
    assert problem.requests == 53 and problem.vehicles == 25
    assert all(problem.load[p, 0] == -problem.load[d, 0] > 0 for p, d in
               zip(problem.pickups, problem.deliveries, strict=True))  # fmt: skip
    assert np.isinf(problem.ride_limit).all()
    assert problem.vehicle_cost > problem.distance.sum(axis=1).max()


def test_a_broken_file_is_refused_with_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "a9-9.txt"
    broken.write_text("2 16 480 3 30\n0 0.0 0.0 0 0 0 480\n2 1.0 x 3 1 0 1440\n")
    with pytest.raises(InstanceError, match=r"a9-9.txt, ligne 3 : valeur non numérique"):
        cordeau.read(broken)
    lines = LC101.read_text().splitlines()
    lines[4] = lines[4].replace("\t0\t75", "\t0\t999")  # the pickup names a missing delivery
    unpaired = tmp_path / "lc999.txt"
    unpaired.write_text("\n".join(lines))
    with pytest.raises(InstanceError, match="ligne 5 : l'enlèvement 3 n'a pas de livraison"):
        lilim.read(unpaired)


def test_the_proven_optimum_passes_the_check_and_costs_what_was_published() -> None:
    problem = cordeau.read(A2_16).problem
    verdict = verify(problem, _optimal_visits(problem))
    assert verdict.feasible, verdict.violations
    assert verdict.cost == pytest.approx(A2_16_OPTIMUM)
    assert verdict.vehicles == 2


def test_the_check_names_each_broken_rule() -> None:
    problem = cordeau.read(A2_16).problem
    visits = _optimal_visits(problem)
    late = [list(route) for route in visits]
    late[0][1] = Visit(late[0][1].node, late[0][1].start + 500)  # beyond the window, and rides long
    assert any("outside" in v for v in verify(problem, late).violations)
    dropped = [visits[0], visits[1][:1] + visits[1][3:]]  # a request left out
    assert any("not served" in v for v in verify(problem, dropped).violations)
    swapped = [list(route) for route in visits]
    swapped[0][1], swapped[0][2] = swapped[0][2], swapped[0][1]  # too close together in time
    assert not verify(problem, swapped).feasible
    slow = [list(route) for route in visits]
    pickup = slow[1][1]
    slow[1][1] = Visit(pickup.node, pickup.start - 40)  # earlier pickup: the ride exceeds 30
    faults = verify(problem, slow).violations
    assert any("rides" in v for v in faults) or any("outside" in v for v in faults)


def test_the_search_reaches_the_optimum_of_a_small_dial_a_ride_instance() -> None:
    problem = cordeau.read(A2_16).problem
    solution = solve(problem, SearchParams(time_limit_s=60, seed=3, iterations=1500))
    assert not solution.unassigned
    routes = [r for r in solution.routes if len(r) > 2]
    times = [solution.schedule(problem, k) for k, r in enumerate(solution.routes) if len(r) > 2]
    verdict = verify(problem, _timed([list(r) for r in routes], times))
    assert verdict.feasible, verdict.violations
    assert verdict.cost == pytest.approx(solution.distance)
    assert verdict.cost <= A2_16_OPTIMUM * 1.01


def test_a_fixed_iteration_count_repeats_for_a_seed() -> None:
    problem = cordeau.read(PR01).problem
    first = solve(problem, SearchParams(time_limit_s=60, seed=7, iterations=150))
    again = solve(problem, SearchParams(time_limit_s=60, seed=7, iterations=150))
    other = solve(problem, SearchParams(time_limit_s=60, seed=8, iterations=150))
    assert [list(r) for r in first.routes] == [list(r) for r in again.routes]
    assert first.distance == again.distance
    assert [list(r) for r in first.routes] != [list(r) for r in other.routes]


def test_li_lim_vehicles_come_first() -> None:
    bench = lilim.read(LC101)
    run = run_search(bench, time_limit_s=5, seed=1)
    assert run.verdict.feasible, run.verdict.violations
    assert run.verdict.vehicles == 10  # the best known, as VROOM finds it too
    assert run.verdict.cost == pytest.approx(828.9369, rel=0.01)
    assert labelled(bench, run.routes)[0][0] == {"node": 0, "start": 0.0}


def test_string_removals_alone_reach_the_best_known_fleet_and_distance() -> None:
    problem = lilim.read(LC101).problem
    params = SearchParams(time_limit_s=60, seed=2, iterations=400, removals="strings")
    solution = solve(problem, params)
    assert not solution.unassigned
    assert solution.vehicles == 10
    routes = [list(r) for r in solution.routes if len(r) > 2]
    times = [solution.schedule(problem, k) for k, r in enumerate(solution.routes) if len(r) > 2]
    verdict = verify(problem, _timed(routes, times))
    assert verdict.feasible, verdict.violations
    assert verdict.cost == pytest.approx(828.9369, rel=0.01)
    again = solve(problem, params)
    assert [list(r) for r in again.routes] == [list(r) for r in solution.routes]


def test_an_unknown_removal_family_is_refused() -> None:
    with pytest.raises(ValueError, match="removals"):
        SearchParams(removals="shaw")  # type: ignore[arg-type]


def test_vroom_runs_on_the_same_instance_and_is_checked_alike() -> None:
    run = run_vroom(lilim.read(LC101), time_limit_s=5, threads=1)
    assert run.verdict.feasible, run.verdict.violations
    assert run.verdict.vehicles == 10


def test_bench_darp_writes_each_solution_and_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "darp"
    code = main(["bench", "darp", str(A2_16), str(PR01), "--time-limit", "2", "--out", str(out),
                 "--workers", "1"])  # fmt: skip
    assert code == 0
    solution = json.loads((out / "a2-16.json").read_text())
    assert set(solution) == {"instance", "cost", "vehicles", "seconds", "routes"}
    assert all(r[0]["node"] == 0 and r[-1]["node"] == 33 for r in solution["routes"])
    served = sorted(v["node"] for r in solution["routes"] for v in r[1:-1])
    assert served == list(range(1, 33))
    pr01 = json.loads((out / "pr01.json").read_text())
    assert all(r[0]["node"] == 0 and r[-1]["node"] == 0 for r in pr01["routes"])
    summary = json.loads((out / "summary.json").read_text())
    rows = {row["instance"]: row for row in summary["instances"]}
    assert rows["a2-16"]["best_known"]["cost"] == 294.25
    assert rows["a2-16"]["regul"]["feasible"] and rows["pr01"]["regul"]["feasible"]
    assert rows["a2-16"]["regul"]["gap_pct"] == pytest.approx(
        100 * (solution["cost"] - 294.25) / 294.25, abs=1e-3
    )
    assert summary["regul"]["instances"] == 2 and summary["regul"]["feasible"] == 2
    assert "vroom" not in summary
    assert "a2-16" in capsys.readouterr().out


def test_bench_pdptw_puts_vroom_beside_regul(tmp_path: Path) -> None:
    out = tmp_path / "pdptw"
    code = main(["bench", "pdptw", str(LC101), "--time-limit", "3", "--out", str(out),
                 "--workers", "1"])  # fmt: skip
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    row = summary["instances"][0]
    assert row["best_known"] == {"cost": 828.9369, "vehicles": 10}
    assert row["vroom"]["feasible"] and row["regul"]["feasible"]
    assert summary["vroom"]["vehicles_at_best_known_share"] == 1.0
    assert sum(summary["regul_versus_vroom"].values()) == 1
    assert json.loads((out / "vroom" / "lc101.json").read_text())["vehicles"] == 10


def test_bench_refuses_a_missing_or_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", "darp", str(tmp_path / "none.txt"), "--out", str(tmp_path)]) == 2
    assert "introuvable" in capsys.readouterr().err
    broken = tmp_path / "a1-1.txt"
    broken.write_text("not a benchmark\n")
    assert main(["bench", "darp", str(broken), "--out", str(tmp_path)]) == 2
    assert "a1-1.txt, ligne 1" in capsys.readouterr().err
