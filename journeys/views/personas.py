"""The personas pages of the journeys UI: cards, detail, create/edit/delete, segment, photo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cxportal import roles
from cxportal.errors import ApplicationError, form_add_errors
from journeys import selectors, services
from journeys.forms.people import PersonaForm
from journeys.models import Channel, Persona


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2]).upper() or "?"


@roles.role_required
def persona_list(request):
    personas = list(selectors.persona_list())
    segment_counts = selectors.persona_segment_counts(personas)
    for persona in personas:
        persona.segment_count = segment_counts[persona.pk]
        persona.initials = _initials(persona.name)
    return render(request, "journeys/personas/list.html", {"personas": personas, "subnav": "personas"})


@roles.role_required
def persona_detail(request, persona_id: int):
    persona = selectors.persona_detail(persona_id=persona_id)
    persona.initials = _initials(persona.name)
    return render(
        request,
        "journeys/personas/detail.html",
        {
            "persona": persona,
            "maps": list(persona.journey_maps.all()),
            "channel_labels": [Channel(c).label for c in persona.preferred_channels if c in Channel.values],
            "segment_count": selectors.persona_segment_counts([persona])[persona.pk],
            "subnav": "personas",
        },
    )


@roles.manager_required
def persona_create(request):
    form = PersonaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            persona = services.persona_create(**form.persona_data(), photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Persona “%(name)s” created.") % {"name": persona.name})
            return redirect("journeys:persona_detail", persona_id=persona.pk)
    return render(request, "journeys/personas/form.html", {"form": form, "subnav": "personas"})


@roles.manager_required
def persona_edit(request, persona_id: int):
    persona = get_object_or_404(Persona, pk=persona_id)
    form = PersonaForm(request.POST or None, request.FILES or None, persona=persona)
    if request.method == "POST" and form.is_valid():
        try:
            services.persona_update(
                persona=persona,
                data=form.persona_data(),
                photo=form.cleaned_data["photo"],
                photo_remove=form.cleaned_data.get("photo_remove", False),
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
            persona.refresh_from_db()
        else:
            messages.success(request, _("Persona “%(name)s” saved.") % {"name": persona.name})
            return redirect("journeys:persona_detail", persona_id=persona.pk)
    return render(request, "journeys/personas/form.html", {"form": form, "persona": persona, "subnav": "personas"})


@roles.manager_required
def persona_delete(request, persona_id: int):
    persona = get_object_or_404(Persona, pk=persona_id)
    if request.method == "POST":
        name = persona.name
        services.persona_delete(persona=persona)
        messages.success(request, _("Persona “%(name)s” deleted.") % {"name": name})
        return redirect("journeys:persona_list")
    return render(
        request,
        "journeys/personas/confirm_delete.html",
        {"persona": persona, "map_count": persona.journey_maps.count(), "subnav": "personas"},
    )


@roles.manager_required
@require_POST
def persona_assign_segment(request, persona_id: int):
    persona = get_object_or_404(Persona, pk=persona_id)
    try:
        count = services.persona_assign_segment(persona=persona)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d customer assigned to “%(name)s”.", "%(count)d customers assigned to “%(name)s”.", count)
            % {"count": count, "name": persona.name},
        )
    return redirect("journeys:persona_detail", persona_id=persona.pk)


@roles.role_required
def persona_photo(request, persona_id: int):
    """The persona's photo, served by the app so it works without a media server."""
    persona = get_object_or_404(Persona, pk=persona_id)
    if not persona.photo:
        raise Http404(_("This persona has no photo."))
    try:
        photo = persona.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The photo file is missing.")) from exc
    # Only re-encoded PNGs are ever stored, so the type is fixed rather than guessed from the name.
    response = FileResponse(photo, content_type="image/png")
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


urlpatterns = [
    path("personas/", persona_list, name="persona_list"),
    path("personas/new/", persona_create, name="persona_create"),
    path("personas/<int:persona_id>/", persona_detail, name="persona_detail"),
    path("personas/<int:persona_id>/edit/", persona_edit, name="persona_edit"),
    path("personas/<int:persona_id>/delete/", persona_delete, name="persona_delete"),
    path("personas/<int:persona_id>/assign-segment/", persona_assign_segment, name="persona_assign_segment"),
    path("personas/<int:persona_id>/photo/", persona_photo, name="persona_photo"),
]
