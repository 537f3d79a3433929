"""Branding: the company name, logo and accent colour respondents see on survey pages and in e-mails.

One row (cxportal.models.Branding); what a CX manager left empty comes from the environment. The accent
colour is the text colour of the answer buttons on white, so it must reach 4.5:1 against white (WCAG 1.4.3);
the text on an accent background is black or white, whichever contrasts more.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cxportal.actor import acting_person
from cxportal.images import png_reencode
from cxportal.models import Branding

HEX_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST_ON_WHITE = 4.5
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_SIDE = 4000  # pixels of the upload
LOGO_STORED_SIDE = 400  # pixels of the stored PNG's longer side
FALLBACK_ACCENT = "#0b5ed7"


def _luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def accent_validate(value: str) -> str:
    """``#rrggbb`` (lower case) dark enough to read on white; ValidationError on ``accent_color`` otherwise."""
    value = (value or "").strip()
    if not HEX_COLOR_RE.match(value):
        raise ValidationError({"accent_color": _("Enter a colour as #rrggbb, e.g. #0b5ed7.")})
    value = value.lower()
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST_ON_WHITE:
        raise ValidationError(
            {
                "accent_color": _(
                    "%(color)s is too light on white (contrast %(ratio).1f:1); choose a darker colour "
                    "(at least %(min).1f:1)."
                )
                % {"color": value, "ratio": ratio, "min": MIN_CONTRAST_ON_WHITE}
            }
        )
    return value


def text_color_on(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    return "#000000" if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#ffffff") else "#ffffff"


@dataclass(frozen=True)
class Brand:
    company_name: str
    accent_color: str
    accent_text_color: str
    has_logo: bool
    version: str  # changes with every save: a cache-busting query parameter for the logo and theme URLs

    @property
    def logo_url(self) -> str:
        return f"{reverse('branding_logo')}?v={self.version}" if self.has_logo else ""

    @property
    def logo_absolute_url(self) -> str:
        """The logo on our own server, for e-mails (never another host)."""
        return settings.SITE_URL + self.logo_url if self.has_logo else ""

    @property
    def theme_url(self) -> str:
        return f"{reverse('branding_theme')}?v={self.version}"


def _env_accent() -> str:
    try:
        return accent_validate(settings.CX_ACCENT_COLOR)
    except ValidationError:
        return FALLBACK_ACCENT


def branding_get() -> Brand:
    """The branding in effect (one query; the logo bytes are not loaded)."""
    row = (
        Branding.objects.filter(pk=1)
        .defer("logo_png")
        .annotate(has_logo=ExpressionWrapper(Q(logo_png__isnull=False), output_field=BooleanField()))
        .first()
    )
    accent = (row.accent_color if row else "") or _env_accent()
    return Brand(
        company_name=(row.company_name if row else "") or settings.CX_COMPANY_NAME,
        accent_color=accent,
        accent_text_color=text_color_on(accent),
        has_logo=bool(row and row.has_logo),
        version=f"{row.updated_at:%Y%m%d%H%M%S%f}" if row else "0",
    )


def branding_logo_png() -> bytes | None:
    return Branding.objects.filter(pk=1).values_list("logo_png", flat=True).first()


@transaction.atomic
def branding_update(*, company_name: str, accent_color: str, logo=None, logo_remove: bool = False, by=None) -> Branding:
    """Save the branding; empty name/colour fall back to the environment. A new logo is re-encoded to PNG."""
    company_name = (company_name or "").strip()
    if len(company_name) > Branding._meta.get_field("company_name").max_length:
        raise ValidationError({"company_name": _("At most 120 characters.")})
    accent_color = accent_validate(accent_color) if accent_color else ""
    png = None
    if logo is not None:
        png = png_reencode(
            logo,
            field="logo",
            max_bytes=LOGO_MAX_BYTES,
            max_side=LOGO_MAX_SIDE,
            stored_side=LOGO_STORED_SIDE,
            name="logo.png",
        ).read()
    row, _created = Branding.objects.select_for_update().get_or_create(pk=1)
    row.company_name = company_name
    row.accent_color = accent_color
    row.updated_by = acting_person(by)
    fields = ["company_name", "accent_color", "updated_by", "updated_at"]
    if png is not None:
        row.logo_png = png
        fields.append("logo_png")
    elif logo_remove:
        row.logo_png = None
        fields.append("logo_png")
    row.save(update_fields=fields)
    return row
