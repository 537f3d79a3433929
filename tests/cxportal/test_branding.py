"""Branding: CX managers set the company name, logo and accent colour respondents see."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cxportal.branding import branding_get, branding_update, contrast_ratio
from cxportal.models import Branding
from surveys.services import survey_create_nps
from tests.journeys.factories import TouchpointFactory

pytestmark = pytest.mark.django_db


def png_upload(size=(800, 300), fmt="PNG", name="logo.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _respondent_page(client) -> str:
    survey = survey_create_nps(title="Internal", touchpoint=TouchpointFactory(), language="en")
    return client.get(reverse("respondent:survey", args=[survey.public_token])).content.decode()


def test_settings_index_links_to_branding(client, manager):
    client.force_login(manager)
    page = client.get(reverse("settings_index")).content.decode()
    assert f'href="{reverse("branding_edit")}"' in page


def test_manager_saves_name_colour_and_logo_and_respondents_see_them(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("branding_edit"),
        {"company_name": "Müller Verpackungstechnik", "accent_color": "#1A5276", "logo": png_upload()},
    )
    assert response.status_code == 302
    row = Branding.objects.get()
    assert row.accent_color == "#1a5276"
    with Image.open(BytesIO(bytes(row.logo_png))) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) <= 400

    client.logout()
    page = _respondent_page(client)
    assert "Müller Verpackungstechnik" in page
    brand = branding_get()
    assert f'src="{brand.logo_url}"' in page
    assert f'href="{brand.theme_url}"' in page
    assert "<script>" not in page.split("</head>")[0]

    logo = client.get(brand.logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    css = client.get(brand.theme_url)
    assert css["Content-Type"].startswith("text/css")
    assert "--cx-accent: #1a5276;" in css.content.decode()
    assert "--cx-accent-text: #ffffff;" in css.content.decode()


@pytest.mark.parametrize(
    ("colour", "message"),
    [("blue", "#rrggbb"), ("#12345", "#rrggbb"), ("#ffff00", "too light on white"), ("#abcdef;}", "#rrggbb")],
)
def test_bad_accent_colour_is_refused_and_changes_nothing(client, manager, colour, message):
    branding_update(company_name="Before", accent_color="#123456")
    client.force_login(manager)
    response = client.post(reverse("branding_edit"), {"company_name": "After", "accent_color": colour})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Branding.objects.get().company_name == "Before"


def test_a_file_that_is_not_an_image_is_refused(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(reverse("branding_edit"), {"company_name": "X", "accent_color": "#123456", "logo": upload})
    assert response.status_code == 200
    assert "Upload a PNG, JPEG, WebP or GIF image." in response.content.decode()
    assert not Branding.objects.exists()


def test_an_oversized_logo_is_refused(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("branding_edit"), {"company_name": "X", "accent_color": "#123456", "logo": png_upload((4001, 10))}
    )
    assert "at most 4000×4000" in response.content.decode()
    assert not Branding.objects.exists()


def test_branding_page_is_for_cx_managers_only(client, sales_member):
    client.force_login(sales_member)
    assert client.get(reverse("branding_edit")).status_code == 403


def test_defaults_come_from_the_environment(client, settings):
    settings.CX_COMPANY_NAME = "Env GmbH"
    settings.CX_ACCENT_COLOR = "#224466"
    brand = branding_get()
    assert (brand.company_name, brand.accent_color, brand.has_logo) == ("Env GmbH", "#224466", False)
    page = _respondent_page(client)
    assert "Env GmbH" in page
    assert client.get(reverse("branding_logo")).status_code == 404


def test_company_name_is_escaped_on_respondent_pages(client):
    branding_update(company_name="<script>alert(1)</script>", accent_color="")
    page = _respondent_page(client)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_text_on_the_accent_colour_always_reads_well():
    for colour in ("#1a5276", "#595959", "#000000", "#6f42c1"):
        branding_update(company_name="", accent_color=colour)
        brand = branding_get()
        assert contrast_ratio(brand.accent_color, brand.accent_text_color) >= 4.5
        assert contrast_ratio(brand.accent_color, "#ffffff") >= 4.5
