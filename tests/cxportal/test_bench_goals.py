"""The goals table of `make bench` (issue 17): which goals it reads from which benchmark, and when it fails."""

from bench import goals


def _results(*, submit=0.6, recompute=1.2, distribution=0.8, duplicates=1) -> dict:
    return {
        "submit": {"ratio": submit},
        "recompute": {"ratio": recompute},
        "distribution": {"ratio": distribution, "duplicates_per_crash": duplicates},
        "run": {"seconds": 60},
    }


def test_every_goal_met_leaves_nothing_missed():
    rows = goals.merge(goals.rows_from(_results()))

    assert [row["id"] for row in rows] == ["P1", "P2", "P4"]
    assert goals.missed(rows) == []
    assert "MISSED" not in goals.format_table(rows)


def test_a_ratio_on_the_wrong_side_of_its_goal_is_missed():
    rows = goals.merge(goals.rows_from(_results(submit=0.49, recompute=1.51)))

    assert goals.missed(rows) == ["P1", "P2"]
    table = goals.format_table(rows)
    assert "0.49×" in table and "MISSED" in table


def test_sending_fast_with_more_than_one_duplicate_per_crash_misses_p4():
    rows = goals.rows_from(_results(distribution=0.9, duplicates=10))

    assert goals.missed(rows) == ["P4"]


def test_rows_recorded_by_another_benchmark_join_the_table_in_id_order():
    scale = {
        "scale": {
            "goals": [
                goals.goal_row("P9", "dashboard p95 at 10 M vs 1 k answers", measured=1.4, goal="≤ 1.2×", met=False),
                goals.goal_row("P6", "incremental recompute 10 M vs 1 M", measured=1.1, goal="≤ 1.3×", met=True),
            ]
        }
    }

    rows = goals.merge(goals.rows_from(scale), goals.rows_from(_results()))

    assert [row["id"] for row in rows] == ["P1", "P2", "P4", "P6", "P9"]
    assert goals.missed(rows) == ["P9"]


def test_benchmarks_that_did_not_run_have_no_row():
    assert goals.rows_from({"submit": {"ratio": 0.7}}) == [
        goals.goal_row("P1", goals.GOALS[0].what, measured=0.7, goal="≥ 0.5×", met=True)
    ]
