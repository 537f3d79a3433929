"""Response rate: answered invitations ÷ invitations sent, by the day first sent; and recompute triggers."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from journeys.models import Customer
from metrics import selectors
from metrics.kpis import Stats, compute
from metrics.models import Transaction
from metrics.services import snapshots_recompute, snapshots_recompute_if_changed
from surveys.models import Campaign, Invitation, Response
from tests.journeys.factories import CustomerFactory
from tests.surveys.factories import SurveyFactory

BERLIN = ZoneInfo("Europe/Berlin")
JUNE = {"date_from": date(2025, 6, 1), "date_to": date(2025, 6, 30)}


@pytest.fixture
def invitations(db):
    """Survey A: 4 sent in June (one at 23:30 on 30 June), 1 answered, 1 never sent. Survey B: 2 sent, 2 answered.

    Company: 3 of 6 = 50.0; A: 1 of 4 = 25.0; B: 100.0. A's reminder in July does not move the invitation.
    """
    a, b = SurveyFactory(), SurveyFactory()
    ca = Campaign.objects.create(survey=a, name="A")
    cb = Campaign.objects.create(survey=b, name="B")
    sent = [datetime(2025, 6, d, 10, tzinfo=BERLIN) for d in (2, 3, 4)] + [datetime(2025, 6, 30, 23, 30, tzinfo=BERLIN)]
    made = []
    for when in sent:
        made.append(
            Invitation.objects.create(
                campaign=ca,
                customer=CustomerFactory(),
                status="sent",
                sent_at=when,
                last_sent_at=when + timedelta(days=30),
            )
        )
    Invitation.objects.create(campaign=ca, customer=CustomerFactory())  # pending, not sent
    for _ in range(2):
        made.append(
            Invitation.objects.create(
                campaign=cb, customer=CustomerFactory(), status="responded", sent_at=datetime(2025, 6, 5, tzinfo=BERLIN)
            )
        )
    for invitation in [made[0], made[4], made[5]]:
        Response.objects.create(survey=invitation.campaign.survey, invitation=invitation, customer=invitation.customer)
    snapshots_recompute()
    return {"a": a, "b": b}


def total(**scope):
    return selectors.kpi_series(kpi="response_rate", **scope, **JUNE)["total"]


def test_formula():
    assert compute("response_rate", Stats(n=4, count_a=1)).value == 25.0
    assert compute("response_rate", Stats()).value is None


def test_company_survey_and_touchpoint(invitations):
    assert (total().value, total().n) == (50.0, 6)
    assert total(scope_type="survey", scope_key=str(invitations["a"].pk)).value == 25.0
    assert total(scope_type="survey", scope_key=str(invitations["b"].pk)).value == 100.0
    tp = invitations["a"].touchpoint
    assert (total(scope_type="touchpoint", scope_key=str(tp.pk)).n) == 4


def test_attributed_to_the_local_day_first_sent(invitations):
    july = selectors.kpi_series(kpi="response_rate", date_from=date(2025, 7, 1), date_to=date(2025, 7, 31))
    assert july["total"].n == 0
    last_day = selectors.kpi_series(kpi="response_rate", date_from=date(2025, 6, 30), date_to=date(2025, 6, 30))
    assert last_day["total"].n == 1


def test_sending_an_invitation_triggers_a_recompute(invitations):
    assert snapshots_recompute_if_changed() is None
    now = timezone.now()
    Invitation.objects.filter(sent_at__isnull=True).update(status="sent", sent_at=now)

    assert snapshots_recompute_if_changed() is not None
    today = timezone.localdate()
    assert selectors.kpi_series(kpi="response_rate", date_from=today, date_to=today)["total"].n == 1


def test_new_transactions_and_customer_changes_trigger_a_recompute(invitations):
    assert snapshots_recompute_if_changed() is None
    customer = Customer.objects.first()
    Transaction.objects.create(
        external_id="t1", customer=customer, amount=Decimal("5.00"), occurred_at=datetime(2025, 6, 1, tzinfo=BERLIN)
    )
    assert snapshots_recompute_if_changed() is not None
    assert snapshots_recompute_if_changed() is None

    customer.churned_at = datetime(2025, 6, 2, tzinfo=BERLIN)
    customer.save(update_fields=["churned_at", "updated_at"])
    assert snapshots_recompute_if_changed() is not None
    assert snapshots_recompute_if_changed() is None
