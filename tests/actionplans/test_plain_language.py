"""Action pages name things: the KPI's scope by name, history as sentences, a picker instead of an id field."""

import pytest
from django.urls import reverse

from actionplans import services
from actionplans.models import Action, ActionEvent
from tests.actionplans.factories import ActionFactory, DepartmentFactory
from tests.journeys.factories import JourneyMapFactory, PersonaFactory, StageFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint():
    journey_map = JourneyMapFactory(name="Buying a packaging machine")
    return TouchpointFactory(stage=StageFactory(journey_map=journey_map), name="After-sales service")


def _page(client, action) -> str:
    return client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()


def test_kpi_to_move_names_the_touchpoint_and_its_map(client, manager, touchpoint):
    action = ActionFactory(kpi="nps", scope_type="touchpoint", scope_key=str(touchpoint.pk))
    client.force_login(manager)
    page = _page(client, action)
    assert "NPS at After-sales service (Buying a packaging machine)" in page
    assert f"#{touchpoint.pk}" not in page


@pytest.mark.parametrize(
    ("scope_type", "make_key", "name"),
    [
        ("company", lambda: "", "the whole company"),
        ("channel", lambda: "phone", "Phone"),
        ("persona", lambda: str(PersonaFactory(name="Head of production").pk), "Head of production"),
        ("map", lambda: str(JourneyMapFactory(name="IT consulting").pk), "IT consulting"),
    ],
)
def test_kpi_to_move_names_every_kind_of_scope(client, manager, scope_type, make_key, name):
    action = ActionFactory(kpi="csat", scope_type=scope_type, scope_key=make_key())
    client.force_login(manager)
    assert f"CSAT at {name}" in _page(client, action)


def test_history_is_written_as_sentences_with_names(client, manager, django_user_model, sales, service):
    manager.first_name, manager.last_name = "Anna", "Berger"
    manager.save()
    owner = django_user_model.objects.create_user(username="jweber", first_name="Jonas", last_name="Weber")
    sales.members.add(owner)
    action = services.action_create(title="Call back", department=service, due_date="2026-12-31", by=manager)
    services.action_update(action=action, data={"department": sales, "owner": owner}, by=manager)
    client.force_login(manager)

    page = _page(client, action)

    assert "Anna Berger set the department to Sales and the owner to Jonas Weber." in page
    assert "department: " not in page


def test_old_history_entries_with_ids_read_as_names(client, manager, sales, service, touchpoint):
    action = ActionFactory(department=sales)
    # What the history stored before it spoke names: ids and raw codes.
    ActionEvent.objects.create(
        action=action,
        verb="updated",
        changes={
            "department": [service.pk, sales.pk],
            "status": ["open", "in_progress"],
            "scope_type": ["", "touchpoint"],
            "scope_key": ["", str(touchpoint.pk)],
            "owner": [None, None],
        },
    )
    client.force_login(manager)

    page = _page(client, action)

    history = page[page.index('id="action-history"') :]
    history = history[: history.index("</ol>")]
    assert "The system set " in history
    assert "where the KPI is measured to After-sales service (Buying a packaging machine)" in history
    assert "the department to Sales" in history
    assert "the status to In progress" in history
    assert f": {service.pk}" not in history


def test_action_form_offers_scopes_by_name_and_stores_the_ids(client, manager, sales, touchpoint):
    client.force_login(manager)
    form_page = client.get(reverse("actionplans:action_create")).content.decode()
    assert "KPI scope id" not in form_page
    assert f'<option value="touchpoint:{touchpoint.pk}">After-sales service (Buying a packaging machine)</option>' in (
        form_page
    )
    assert '<optgroup label="Touchpoints">' in form_page

    response = client.post(
        reverse("actionplans:action_create"),
        {
            "title": "Faster repairs",
            "department": sales.pk,
            "due_date": "2026-12-31",
            "kpi": "nps",
            "kpi_scope": f"touchpoint:{touchpoint.pk}",
        },
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.scope_type, action.scope_key) == ("touchpoint", str(touchpoint.pk))


def test_edit_form_preselects_the_scope_and_a_bad_choice_changes_nothing(client, manager, sales, touchpoint):
    action = ActionFactory(department=sales, kpi="nps", scope_type="touchpoint", scope_key=str(touchpoint.pk))
    client.force_login(manager)
    url = reverse("actionplans:action_edit", args=[action.pk])
    assert f'<option value="touchpoint:{touchpoint.pk}" selected>' in client.get(url).content.decode()

    data = {
        "title": action.title,
        "department": sales.pk,
        "due_date": action.due_date.isoformat(),
        "kpi": "nps",
        "kpi_scope": "touchpoint:999999",
        "status": "open",
        "progress": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    action.refresh_from_db()
    assert action.scope_key == str(touchpoint.pk)


def test_scope_choices_take_a_fixed_number_of_queries(client, manager, django_assert_max_num_queries):
    for _ in range(5):
        TouchpointFactory()
    DepartmentFactory()
    client.force_login(manager)
    with django_assert_max_num_queries(20):
        client.get(reverse("actionplans:action_create"))


def test_history_sentences_are_german_for_german_readers(manager, django_user_model, sales, service):
    from django.utils.translation import override

    from actionplans.selectors import action_history
    from actionplans.selectors.history import action_history_sentences

    manager.first_name, manager.last_name = "Anna", "Berger"
    manager.save()
    sales.name = "Vertrieb"
    sales.save()
    owner = django_user_model.objects.create_user(username="jweber", first_name="Jonas", last_name="Weber")
    sales.members.add(owner)
    action = ActionFactory(department=service)
    services.action_update(action=action, data={"department": sales, "owner": owner}, by=manager)

    with override("de"):
        sentences = [text for _event, text in action_history_sentences(action_history(action=action))]

    assert sentences[0] == (
        "Anna Berger hat die Abteilung auf Vertrieb und die verantwortliche Person auf Jonas Weber gesetzt."
    )


def test_german_calls_an_action_plans_action_massnahme_and_a_logged_action_aktion():
    """The audit log and forms name the field by its label: an action plan's action is a "Maßnahme", while
    what a change log records (created, deleted …) stays an "Aktion"."""
    from django.utils import translation

    from actionplans.models import Comment, Milestone
    from journeys.models import MapChange

    with translation.override("de"):
        assert str(Milestone._meta.get_field("action").verbose_name) == "Maßnahme"
        assert str(Comment._meta.get_field("action").verbose_name) == "Maßnahme"
        assert str(MapChange._meta.get_field("action").verbose_name) == "Aktion"
