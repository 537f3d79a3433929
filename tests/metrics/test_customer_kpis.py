"""Churn, retention and CLV: hand-computed periods, time-zone edges, snapshots and the API's scope rule."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from metrics import selectors
from metrics.kpis import Stats, compute, period_end
from metrics.models import KpiSnapshot, Transaction
from metrics.services import snapshots_recompute
from tests.journeys.factories import CustomerFactory, PersonaFactory

BERLIN = ZoneInfo("Europe/Berlin")
URL = "/api/v1/metrics/"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def customers(db):
    """March 2025 = [1 Mar 00:00, 1 Apr 00:00) Berlin.

    Active at 1 March: c1, c2, c5, c7 (4). Churned in March among them: c2 and c7 (2) — c7 at 00:30
    Berlin on 1 March (23:30 UTC on 28 February). c4 is acquired and churns in March: not counted as
    churn. Active at 1 April: c1, c5, c6 (3). Acquired in March: c4, c6 (2). Revenue in March:
    100 + 50.50 + 30 = 180.50 (the 30 at 23:30 on 31 March; 999 at 00:10 on 1 April is April's).
    """
    p, q = PersonaFactory(name="P"), PersonaFactory(name="Q")
    c = {
        "c1": CustomerFactory(persona=p, acquired_at=at(2025, 1, 10)),
        "c2": CustomerFactory(persona=p, acquired_at=at(2025, 1, 15), churned_at=at(2025, 3, 10)),
        "c3": CustomerFactory(persona=p, acquired_at=at(2025, 2, 1), churned_at=at(2025, 2, 20)),
        "c4": CustomerFactory(persona=p, acquired_at=at(2025, 3, 5), churned_at=at(2025, 3, 20)),
        "c5": CustomerFactory(persona=q, acquired_at=at(2025, 2, 10)),
        "c6": CustomerFactory(persona=p, acquired_at=at(2025, 3, 12)),
        "c7": CustomerFactory(persona=p, acquired_at=at(2025, 2, 28, 23, 30), churned_at=at(2025, 3, 1, 0, 30)),
    }
    for i, (who, amount, when) in enumerate(
        [
            ("c1", "100.00", at(2025, 3, 3)),
            ("c2", "50.50", at(2025, 3, 8)),
            ("c5", "30.00", at(2025, 3, 31, 23, 30)),
            ("c5", "999.00", at(2025, 4, 1, 0, 10)),
            ("c1", "20.00", at(2025, 2, 28)),
        ]
    ):
        Transaction.objects.create(external_id=f"t{i}", customer=c[who], amount=Decimal(amount), occurred_at=when)
    return {"p": p, "q": q, **c}


MARCH = {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}


class TestFormulas:
    def test_churn_rate(self):
        assert compute("churn_rate", Stats(n=4, count_a=2, count_b=3, count_c=2)).value == 50.0

    def test_churn_with_no_customers_at_the_start_is_null(self):
        result = compute("churn_rate", Stats(n=0, count_b=3, count_c=3))
        assert (result.value, result.n) == (None, 0)

    def test_retention_rate(self):
        assert compute("retention_rate", Stats(n=4, count_a=2, count_b=3, count_c=2)).value == 25.0

    def test_clv(self):
        # ARPC = 180.50 / ((4 + 3) / 2) = 51.5714…; churn 0.5; CLV = 103.142… → 103.14
        assert compute("clv", Stats(n=4, total=180.5, count_a=2, count_b=3, count_c=2)).value == 103.14

    def test_clv_uses_the_gross_margin(self, settings):
        settings.CX_GROSS_MARGIN = 0.4
        assert compute("clv", Stats(n=4, total=180.5, count_a=2, count_b=3, count_c=2)).value == 41.26

    def test_clv_with_churn_zero_is_null(self):
        assert compute("clv", Stats(n=3, total=999.0, count_a=0, count_b=3)).value is None

    def test_clv_with_no_customers_is_null(self):
        assert compute("clv", Stats(n=0, total=10.0)).value is None


class TestPeriodValues:
    def test_march_company(self, customers):
        series = {k: selectors.kpi_series(kpi=k, **MARCH)["total"] for k in ("churn_rate", "retention_rate", "clv")}

        assert (series["churn_rate"].value, series["churn_rate"].n) == (50.0, 4)
        assert series["retention_rate"].value == 25.0
        assert series["clv"].value == 103.14
        assert series["churn_rate"].breakdown == {
            "active_at_start": 4,
            "churned": 2,
            "active_at_end": 3,
            "acquired": 2,
            "revenue": 180.5,
        }

    def test_march_persona(self, customers):
        p = str(customers["p"].pk)
        total = selectors.kpi_series(kpi="churn_rate", scope_type="persona", scope_key=p, **MARCH)["total"]
        # Active at 1 March of persona P: c1, c2, c7; churned: c2, c7.
        assert (total.value, total.n) == (66.7, 3)

    def test_no_customers_at_the_start_is_null(self, customers):
        total = selectors.kpi_series(kpi="churn_rate", date_from=date(2024, 12, 1), date_to=date(2024, 12, 31))
        assert (total["total"].value, total["total"].n) == (None, 0)

    def test_churn_zero_gives_clv_null_and_full_retention(self, customers):
        april = {"date_from": date(2025, 4, 1), "date_to": date(2025, 4, 30)}
        assert selectors.kpi_series(kpi="churn_rate", **april)["total"].value == 0.0
        assert selectors.kpi_series(kpi="clv", **april)["total"].value is None
        assert selectors.kpi_series(kpi="retention_rate", **april)["total"].value == 100.0

    def test_churn_at_half_past_midnight_on_the_first_belongs_to_the_new_month(self, customers):
        february = selectors.kpi_series(kpi="churn_rate", date_from=date(2025, 2, 1), date_to=date(2025, 2, 28))
        # Active at 1 Feb: c1, c2; churned in February: none of them (c3 was acquired in February).
        assert (february["total"].value, february["total"].n) == (0.0, 2)
        first = selectors.kpi_series(kpi="churn_rate", date_from=date(2025, 3, 1), date_to=date(2025, 3, 1))
        assert first["total"].breakdown["churned"] == 1  # c7


class TestSnapshots:
    def test_month_snapshots_hold_the_period_statistics(self, customers):
        snapshots_recompute()

        cell = KpiSnapshot.objects.get(
            kpi="churn_rate", scope_type="company", bucket="month", period_start=date(2025, 3, 1)
        )
        assert (cell.n, cell.count_a, cell.count_b, cell.count_c, cell.total) == (4, 2, 3, 2, 180.5)
        assert cell.value == 50.0
        assert (
            KpiSnapshot.objects.get(
                kpi="clv", scope_type="company", bucket="month", period_start=date(2025, 3, 1)
            ).value
            == 103.14
        )
        day = KpiSnapshot.objects.get(
            kpi="churn_rate", scope_type="company", bucket="day", period_start=date(2025, 3, 1)
        )
        assert (day.n, day.count_a, day.value) == (4, 1, 25.0)

    def test_snapshots_agree_with_the_direct_computation_for_every_bucket(self, customers):
        snapshots_recompute()

        for bucket in ("week", "month", "quarter"):
            cells = KpiSnapshot.objects.filter(kpi="retention_rate", bucket=bucket, period_start__lte=date(2025, 6, 30))
            assert cells.exists()
            for cell in cells:
                end = period_end(cell.period_start, bucket)
                direct = selectors.kpi_series(
                    kpi="retention_rate",
                    scope_type=cell.scope_type,
                    scope_key=cell.scope_key,
                    date_from=cell.period_start,
                    date_to=date.fromordinal(end.toordinal() - 1),
                )["total"]
                assert (direct.value, direct.n) == (cell.value, cell.n), (bucket, cell.period_start)

    def test_recompute_is_idempotent_and_removes_stale_rows(self, customers):
        snapshots_recompute()
        first = list(KpiSnapshot.objects.order_by("pk").values_list("kpi", "scope_key", "bucket", "period_start", "n"))
        snapshots_recompute()
        assert (
            list(KpiSnapshot.objects.order_by("pk").values_list("kpi", "scope_key", "bucket", "period_start", "n"))
            == first
        )

        q = str(customers["q"].pk)
        assert KpiSnapshot.objects.filter(kpi="clv", scope_type="persona", scope_key=q).exists()
        customers["c5"].delete()
        snapshots_recompute()
        assert not KpiSnapshot.objects.filter(kpi="clv", scope_type="persona", scope_key=q).exists()


class TestApi:
    def test_churn_by_month(self, api_client, customers):
        snapshots_recompute()

        response = api_client.get(URL, {"kpi": "churn_rate", "from": "2025-03-01", "to": "2025-04-30"})

        assert response.status_code == 200, response.content
        body = response.json()
        # One period 1 March – 30 April: c2 and c7 of the 4 active at its start churn.
        assert body["total"] == {"value": 50.0, "n": 4, "margin_of_error": None}
        assert body["results"][:2] == [
            {"period_start": "2025-03-01", "value": 50.0, "n": 4, "margin_of_error": None},
            {"period_start": "2025-04-01", "value": 0.0, "n": 3, "margin_of_error": None},
        ]

    def test_clv_for_a_persona(self, api_client, customers):
        response = api_client.get(
            URL, {"kpi": "clv", "persona": customers["p"].pk, "from": "2025-03-01", "to": "2025-03-31"}
        )
        # P: active at a 3 (c1, c2, c7), at b 2 (c1, c6), churned 2; revenue 150.50 → ARPC 60.20, CLV 90.30
        assert response.json()["total"]["value"] == 90.3

    @pytest.mark.parametrize("scope", ["touchpoint", "stage", "map", "survey"])
    def test_customer_kpis_are_refused_for_other_scopes(self, api_client, customers, scope):
        response = api_client.get(URL, {"kpi": "churn_rate", scope: 1})

        assert response.status_code == 400
        assert response.json() == {"kpi": [f"KPI churn_rate is not available for scope {scope}."]}

    def test_channel_scope_is_refused_too(self, api_client, customers):
        response = api_client.get(URL, {"kpi": "clv", "channel": "website"})
        assert response.status_code == 400

    def test_selector_gives_null_for_a_scope_the_kpi_lacks(self, customers):
        series = selectors.kpi_series(kpi="churn_rate", scope_type="touchpoint", scope_key="1", **MARCH)
        assert (series["total"].value, series["total"].n, series["results"]) == (None, 0, [])
