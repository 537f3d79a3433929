"""Reads of personas (and their segments) and customers."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from journeys.models import (
    Customer,
    JourneyMap,
    Persona,
)


def _segment_condition(rule: dict) -> Q:
    """Customers whose attributes hold every key/value of ``rule`` (JSON equality, so 5 ≠ "5").

    The explicit ``__exact`` makes every key a key transform, even one named like a lookup ("contains");
    keys are plain names without "__" (services.personas.ATTRIBUTE_KEY_RE).
    """
    return Q(**{f"attributes__{key}__exact": value for key, value in rule.items()})


def persona_segment_customers(persona: Persona) -> QuerySet[Customer]:
    """The customers the persona's segment rule matches (none when it has no rule)."""
    if not persona.segment_rule:
        return Customer.objects.none()
    return Customer.objects.filter(_segment_condition(persona.segment_rule))


def persona_segment_counts(personas) -> dict[int, int]:
    """{persona id: customers its segment rule matches}, for a whole page of personas in one query."""
    counts = {p.pk: 0 for p in personas}
    ruled = [p for p in personas if p.segment_rule]
    if ruled:
        totals = Customer.objects.aggregate(
            **{f"p{p.pk}": Count("pk", filter=_segment_condition(p.segment_rule)) for p in ruled}
        )
        counts.update({p.pk: totals[f"p{p.pk}"] for p in ruled})
    return counts


def persona_list() -> QuerySet[Persona]:
    return Persona.objects.annotate(
        map_count=Count("journey_maps", distinct=True), customer_count=Count("customers", distinct=True)
    ).order_by("name")


def persona_detail(*, persona_id: int) -> Persona:
    """The persona with its journey maps and the number of customers assigned to it."""
    return get_object_or_404(
        Persona.objects.annotate(customer_count=Count("customers")).prefetch_related(
            Prefetch("journey_maps", queryset=JourneyMap.objects.order_by("name"))
        ),
        pk=persona_id,
    )


def customer_list(*, search: str = "", persona: str | int | None = None) -> QuerySet[Customer]:
    """Customers matching ``search`` (name, e-mail, external id); ``persona`` an id, or "none" for unassigned."""
    customers = Customer.objects.select_related("persona").order_by("name", "external_id")
    if search := search.strip():
        customers = customers.filter(
            Q(name__icontains=search) | Q(email__icontains=search) | Q(external_id__icontains=search)
        )
    if persona == "none":
        customers = customers.filter(persona__isnull=True)
    elif persona:
        customers = customers.filter(persona_id=persona)
    return customers


def customer_detail(*, customer_id: int) -> Customer:
    # "responses" is the reverse name of surveys' Response.customer; journeys does not import surveys.
    return get_object_or_404(
        Customer.objects.select_related("persona").annotate(response_count=Count("responses")), pk=customer_id
    )
