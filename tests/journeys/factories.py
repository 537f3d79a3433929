import factory

from journeys.models import Customer, JourneyMap, Persona, Stage, Touchpoint


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    name = factory.Sequence(lambda n: f"Persona {n}")
    role = "Head of production"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    external_id = factory.Sequence(lambda n: f"C-{n:05d}")
    email = factory.LazyAttribute(lambda c: f"{c.external_id.lower()}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")


class JourneyMapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JourneyMap

    name = factory.Sequence(lambda n: f"Journey {n}")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    journey_map = factory.SubFactory(JourneyMapFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n)


class TouchpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Touchpoint

    stage = factory.SubFactory(StageFactory)
    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    channel = "website"
    position = factory.Sequence(lambda n: n)
