"""Branding: the settings page (CX managers) and the public logo and theme stylesheet respondent pages use."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cxportal import branding
from cxportal.errors import form_add_errors
from cxportal.roles import manager_required

# The logo and theme URLs carry ?v=<last change>, so they may be cached for long.
_CACHE = "public, max-age=31536000, immutable"


class BrandingForm(forms.Form):
    company_name = forms.CharField(
        label=gettext_lazy("Company name"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("Shown to respondents on survey pages and in invitations."),
    )
    accent_color = forms.CharField(
        label=gettext_lazy("Accent colour"),
        required=False,
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text=gettext_lazy("Buttons and the selected answer on survey pages; dark enough to read on white."),
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        help_text=gettext_lazy("PNG, JPEG, WebP or GIF, at most 2 MB; stored as a PNG of at most 400 px."),
    )
    logo_remove = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)


@manager_required
@require_http_methods(["GET", "POST"])
def branding_edit(request):
    brand = branding.branding_get()
    initial = {"company_name": brand.company_name, "accent_color": brand.accent_color}
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            branding.branding_update(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Branding saved."))
            return redirect("branding_edit")
    return render(request, "cxportal/branding.html", {"form": form, "brand": brand})


@require_GET
def branding_logo(request):
    """The logo as stored (a PNG we re-encoded); public: respondents and e-mail clients load it."""
    png = branding.branding_logo_png()
    if not png:
        raise Http404(_("No logo has been uploaded."))
    response = HttpResponse(bytes(png), content_type="image/png")
    response["Cache-Control"] = _CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def branding_theme(request):
    """A tiny stylesheet with the accent colour as CSS custom properties (no inline style or script needed)."""
    brand = branding.branding_get()
    css = f":root {{ --cx-accent: {brand.accent_color}; --cx-accent-text: {brand.accent_text_color}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = _CACHE
    return response
