"""Churn risk: a planted signal is learnt (AUC well above 0.5, ~0.5 on shuffled labels), thin data is refused,
risks order the customers API, and the closed-loop rule opens exactly one action per customer at risk."""

import numpy as np
import pytest
from django.urls import reverse

from actionplans.models import Action, ChurnFollowUp, ChurnRiskRule
from actionplans.services.churn_follow_up import churn_follow_ups_open
from decisions.models import ChurnModel, ChurnRisk
from decisions.services.churn import churn_model_train, evaluate, history_load, training_sets
from tests.decisions.factories import NOW, churn_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return churn_world(600)


def test_planted_signal_gives_a_good_held_out_auc_and_scores(world):
    model = churn_model_train(now=NOW)
    assert model.status == ChurnModel.Status.OK, (model.reason, model.auc, model.churners_test)
    assert model.auc > 0.75
    assert model.churners_test >= 10 and model.n_test > 300
    assert sum(b["n"] for b in model.calibration) == model.n_test
    active = [c for c in world if c.churned_at is None]
    assert ChurnRisk.objects.count() == len(active)
    # Low NPS raises the risk: the riskiest customers are the unhappy ones, with that reason named.
    riskiest = ChurnRisk.objects.order_by("-probability").first()
    assert riskiest.probability > 0.1
    assert {r["feature"] for r in riskiest.reasons} & {"score_level", "last_nps"}
    assert model.coefficients["score_level"] < 0


def test_shuffled_labels_give_a_coin_toss(world):
    x_train, y_train, x_test, y_test = training_sets(history_load(), now=NOW.timestamp(), horizon=90)
    rng = np.random.default_rng(0)
    quality = evaluate(x_train, rng.permutation(y_train), x_test, rng.permutation(y_test))
    assert abs(quality["auc"] - 0.5) < 0.1
    assert evaluate(x_train, y_train, x_test, y_test)["auc"] > 0.75


def test_thin_data_is_refused_and_says_so(manager_client):
    churn_world(40)
    model = churn_model_train(now=NOW)
    assert model.status == ChurnModel.Status.REFUSED and model.reason == "too_few"
    assert not ChurnRisk.objects.exists()
    html = manager_client.get(reverse("decisions:churn_risk")).content.decode()
    assert "No risk figures: too little history" in html


def test_weak_model_is_refused(world, settings):
    settings.CX_CHURN_MIN_AUC = 0.99
    model = churn_model_train(now=NOW)
    assert model.status == ChurnModel.Status.REFUSED and model.reason == "weak"
    assert model.auc is not None and not ChurnRisk.objects.exists()


def test_weak_model_after_a_good_one_leaves_no_risks_and_one_record(world, settings):
    good = churn_model_train(now=NOW)
    assert good.status == ChurnModel.Status.OK and ChurnRisk.objects.exists()
    settings.CX_CHURN_MIN_AUC = 0.99
    # The risks the weak model wrote while it was being judged roll back, and the good model's go as well.
    weak = churn_model_train(now=NOW)
    assert weak.status == ChurnModel.Status.REFUSED and weak.reason == "weak"
    assert weak.scored == 0 and weak.coefficients == {} and weak.auc == good.auc
    assert not ChurnRisk.objects.exists()
    assert list(ChurnModel.objects.order_by("pk").values_list("pk", "status")) == [
        (good.pk, ChurnModel.Status.OK),
        (weak.pk, ChurnModel.Status.REFUSED),
    ]


def test_api_lists_risks_and_orders_customers(world, api_client_for):
    churn_model_train(now=NOW)
    client = api_client_for(["metrics:read", "journeys:read"])
    risks = client.get("/api/v1/churn-risk/").json()
    top = risks["results"][0]
    assert top["probability"] == max(r.probability for r in ChurnRisk.objects.all())
    assert len(top["reasons"]) <= 3
    customers = client.get("/api/v1/customers/", {"ordering": "-churn_risk"}).json()["results"]
    assert customers[0]["id"] == top["customer"]
    # Churned (unscored) customers come last.
    churned_ids = {c.pk for c in world if c.churned_at}
    everyone = client.get("/api/v1/customers/", {"ordering": "-churn_risk", "page_size": 1000}).json()["results"]
    assert everyone[-1]["id"] in churned_ids


def test_page_shows_quality_and_list(world, manager_client):
    churn_model_train(now=NOW)
    html = manager_client.get(reverse("decisions:churn_risk")).content.decode()
    assert "Held-out ROC AUC" in html and "data-cx-chart" in html
    assert html.count("data-customer=") == 100


def test_rule_opens_exactly_one_action_per_customer(world, sales):
    ChurnRiskRule.objects.create(enabled=True, threshold=0.3, department=sales)
    churn_model_train(now=NOW)
    at_risk = ChurnRisk.objects.filter(probability__gte=0.3).count()
    assert at_risk > 0
    assert Action.objects.filter(department=sales).count() == at_risk
    # Scoring again opens nothing new while the actions are open.
    churn_model_train(now=NOW)
    assert churn_follow_ups_open() == []
    assert ChurnFollowUp.objects.count() == at_risk
    # Closing one lets the next run open a new one for that customer only.
    follow_up = ChurnFollowUp.objects.first()
    Action.objects.filter(pk=follow_up.action_id).update(status=Action.Status.DONE)
    assert [a.churn_follow_up.customer_id for a in churn_follow_ups_open()] == [follow_up.customer_id]


def test_rule_off_opens_nothing(world, sales):
    ChurnRiskRule.objects.create(enabled=False, threshold=0.1, department=sales)
    churn_model_train(now=NOW)
    assert not Action.objects.exists()


def test_rule_form_refuses_without_department_and_saves_with_one(manager_client, sales):
    url = reverse("actionplans:churn_rule")
    assert "Risk at or above" in manager_client.get(url).content.decode()
    response = manager_client.post(url, {"enabled": "on", "threshold": "40", "due_in_days": "10"})
    assert response.status_code == 400
    assert "Choose the department that follows up customers at risk." in response.content.decode()
    assert not ChurnRiskRule.objects.exists()
    response = manager_client.post(url, {"threshold": "200", "due_in_days": "10", "department": sales.pk})
    assert response.status_code == 400 and not ChurnRiskRule.objects.exists()
    response = manager_client.post(
        url, {"enabled": "on", "threshold": "40", "due_in_days": "10", "department": sales.pk}
    )
    assert response.status_code == 302
    rule = ChurnRiskRule.objects.get()
    assert (rule.enabled, rule.threshold, rule.department, rule.due_in_days) == (True, 0.4, sales, 10)


def test_customer_page_shows_risk_and_reasons(world, manager_client):
    churn_model_train(now=NOW)
    risk = ChurnRisk.objects.order_by("-probability").first()
    page = manager_client.get(reverse("journeys:customer_detail", args=[risk.customer_id])).content.decode()
    assert reverse("decisions:customer_risk", args=[risk.customer_id]) in page
    html = manager_client.get(reverse("decisions:customer_risk", args=[risk.customer_id])).content.decode()
    assert f"{round(risk.probability * 100)} %" in html
    assert "model ROC AUC" in html


def test_retrain_button_runs_the_task_and_the_poll_says_what_happened(manager_client):
    churn_world(40)
    response = manager_client.post(reverse("decisions:churn_train"))
    assert response.status_code == 302 and response["Location"].endswith("?after=0")
    assert ChurnModel.objects.get().reason == "too_few"
    page = manager_client.get(response["Location"]).content.decode()
    assert 'id="train-status"' in page
    html = manager_client.get(reverse("decisions:churn_train_status"), {"after": 0}).content.decode()
    assert "the model refused to score" in html
    waiting = manager_client.get(reverse("decisions:churn_train_status"), {"after": ChurnModel.objects.get().pk})
    assert "Training…" in waiting.content.decode()
    assert manager_client.get(reverse("decisions:churn_train_status")).status_code == 400


def test_overview_has_the_risk_panel_for_managers(world, manager_client, client, sales_member):
    churn_model_train(now=NOW)
    html = manager_client.get(reverse("metrics:overview")).content.decode()
    assert reverse("decisions:churn_risk_panel") in html
    panel = manager_client.get(reverse("decisions:churn_risk_panel")).content.decode()
    assert 'id="churn-risk-panel"' in panel and "model ROC AUC" in panel
    client.force_login(sales_member)
    assert reverse("decisions:churn_risk_panel") not in client.get(reverse("metrics:overview")).content.decode()
    assert client.get(reverse("decisions:churn_risk_panel")).status_code == 403


def test_each_risk_keeps_the_features_it_was_scored_on_and_its_reasons_add_up_to_it(world):
    """The risks are written with the customer's feature values (binary COPY on PostgreSQL): those values and the
    model's stored scaling give back exactly the probability written, and the reasons are their largest terms."""
    from decisions.services.churn import FEATURES, features_at

    model = churn_model_train(now=NOW)
    ids, x = features_at(history_load(), NOW.timestamp())
    expected = dict(zip(ids.tolist(), x, strict=True))
    risks = list(ChurnRisk.objects.select_related("model"))
    assert sorted(r.customer_id for r in risks) == sorted(expected) and model.scaling["features"] == list(FEATURES)
    scaling = {k: np.array(v) for k, v in model.scaling.items() if k != "features"}
    for risk in risks:
        values = np.frombuffer(bytes(risk.features), dtype="<f8")
        assert np.allclose(values, expected[risk.customer_id], rtol=1e-12, atol=1e-9)
        terms = (values - scaling["mean"]) / scaling["scale"] * scaling["coef"]
        assert np.isclose(1 / (1 + np.exp(-(scaling["intercept"] + terms.sum()))), risk.probability, rtol=1e-9)
        largest = [(round(terms[j], 3), FEATURES[j]) for j in np.argsort(-terms)[:3] if round(terms[j], 3) > 0]
        assert [(r["contribution"], r["feature"]) for r in risk.reasons] == largest
    assert risks[0].scored_at == NOW


def test_managers_export_every_scored_customer_riskiest_first_with_reasons(world, manager_client, client, sales_member):
    import csv
    import io

    import openpyxl

    from journeys.models import Customer

    churn_model_train(now=NOW)
    riskiest = ChurnRisk.objects.select_related("model").order_by("-probability").first()
    Customer.objects.filter(pk=riskiest.customer_id).update(name="=HYPERLINK(1)")  # typed by someone
    page = manager_client.get(reverse("decisions:churn_risk")).content.decode()
    assert reverse("decisions:churn_risk_export", args=["csv"]) in page.split('id="churn-export"')[1]

    answer = manager_client.get(reverse("decisions:churn_risk_export", args=["csv"]))
    assert answer["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in answer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Customer external ID", "Customer", "Churn risk (%)", "Strongest reasons", "Scored at"]
    assert len(rows) - 1 == ChurnRisk.objects.count()
    risks = [float(row[2]) for row in rows[1:]]
    assert risks == sorted(risks, reverse=True) and risks[0] == round(riskiest.probability * 100, 1)
    assert rows[1][1] == "'=HYPERLINK(1)"  # neutralised: no formula in a spreadsheet
    assert rows[1][3] and rows[1][3].split(", ")[0] in page  # the reasons, as the page words them

    streamed = manager_client.get(reverse("decisions:churn_risk_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE="de")
    assert b"".join(streamed.streaming_content).decode("utf-8-sig").startswith("Externe Kunden-ID,")
    german = manager_client.get(reverse("decisions:churn_risk_export", args=["xlsx"]), HTTP_ACCEPT_LANGUAGE="de")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(german.streaming_content))).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == "Externe Kunden-ID" and table[0][2:4] == ("Abwanderungsrisiko (%)", "Wichtigste Gründe")
    assert len(table) == len(rows) and table[1][2] == risks[0]

    assert manager_client.get(reverse("decisions:churn_risk_export", args=["pdf"])).status_code == 404
    client.force_login(sales_member)  # department members see no customer list
    assert client.get(reverse("decisions:churn_risk_export", args=["csv"])).status_code == 403
