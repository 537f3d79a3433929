import datetime

import factory

from actionplans.models import Action, Department


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    title = factory.Sequence(lambda n: f"Action {n}")
    department = factory.SubFactory(DepartmentFactory)
    due_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=14))  # noqa: DTZ011


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.ActionPlan"

    name = factory.Sequence(lambda n: f"Plan {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actionplans.Milestone"

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyAttribute(lambda m: m.action.due_date)
