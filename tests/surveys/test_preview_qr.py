"""Preview as a respondent (stores nothing) and the printable QR code of the public link."""

from datetime import timedelta

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from surveys.models import Survey
from tests.surveys.factories import nothing_stored, nps_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def html_titled_survey():
    return nps_survey(title="Store <b>NPS</b>")


def _preview(survey) -> str:
    return reverse("surveys:survey_preview", args=[survey.pk])


class TestPreview:
    def test_preview_shows_the_respondent_page_with_a_banner(self, manager_client, html_titled_survey):
        page = manager_client.get(_preview(html_titled_survey)).content.decode()

        assert "Preview — answers are not saved" in page
        assert "Not at all likely" in page
        assert "How likely is it that you would recommend us" in page

    def test_valid_preview_submit_stores_nothing_and_says_so(self, manager_client, html_titled_survey):
        nps = html_titled_survey.questions.get(kind="nps")

        response = manager_client.post(_preview(html_titled_survey), {f"q{nps.pk}": "9"})

        assert response.status_code == 200
        page = response.content.decode()
        assert "Preview — answers are not saved" in page
        assert "Nothing was saved." in page
        assert nothing_stored()

    def test_invalid_preview_submit_shows_the_messages(self, manager_client, html_titled_survey):
        response = manager_client.post(_preview(html_titled_survey), {})

        assert response.status_code == 400
        assert "Please answer this question." in response.content.decode()
        assert nothing_stored()

    def test_preview_works_while_the_survey_is_closed_and_its_link_off(self, manager_client, html_titled_survey):
        Survey.objects.filter(pk=html_titled_survey.pk).update(
            closes_at=timezone.now() - timedelta(days=1), public_link_enabled=False
        )
        assert manager_client.get(_preview(html_titled_survey)).status_code == 200

    def test_department_members_get_403_on_preview_and_qr(self, client, sales_member, html_titled_survey):
        client.force_login(sales_member)

        assert client.get(_preview(html_titled_survey)).status_code == 403
        assert client.post(_preview(html_titled_survey), {}).status_code == 403
        assert client.get(reverse("surveys:survey_qr", args=[html_titled_survey.pk])).status_code == 403
        assert client.get(reverse("surveys:survey_qr_download", args=[html_titled_survey.pk, "svg"])).status_code == 403

    def test_anonymous_visitors_are_sent_to_the_login(self, client, html_titled_survey):
        response = client.get(_preview(html_titled_survey))
        assert response.status_code == 302
        assert "/login" in response["Location"]


class TestQrCode:
    def test_print_page_has_the_qr_svg_of_the_public_url_the_title_and_the_url(
        self, manager_client, html_titled_survey, monkeypatch
    ):
        encoded = []
        real_make = segno.make
        monkeypatch.setattr(segno, "make", lambda content, **kw: encoded.append(content) or real_make(content, **kw))
        public_url = "http://testserver" + reverse("respondent:survey", args=[html_titled_survey.public_token])

        page = manager_client.get(reverse("surveys:survey_qr", args=[html_titled_survey.pk])).content.decode()

        assert encoded == [public_url]
        assert '<svg width="' in page and 'class="segno"' in page
        assert f'<p class="qr-url" id="qr-url">{public_url}</p>' in page
        assert "Store &lt;b&gt;NPS&lt;/b&gt;" in page
        assert "<b>NPS</b>" not in page

    def test_print_page_warns_when_the_public_link_is_off(self, manager_client, html_titled_survey):
        Survey.objects.filter(pk=html_titled_survey.pk).update(public_link_enabled=False)
        page = manager_client.get(reverse("surveys:survey_qr", args=[html_titled_survey.pk])).content.decode()
        assert "The public link is switched off" in page

    @pytest.mark.parametrize(
        ("file_format", "content_type", "magic"), [("svg", "image/svg+xml", b"<?xml"), ("png", "image/png", b"\x89PNG")]
    )
    def test_qr_code_downloads_as_svg_and_png(
        self, manager_client, html_titled_survey, file_format, content_type, magic
    ):
        response = manager_client.get(reverse("surveys:survey_qr_download", args=[html_titled_survey.pk, file_format]))

        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"] == f'attachment; filename="survey-{html_titled_survey.pk}-qr.{file_format}"'
        )
        assert response.content.startswith(magic)

    def test_survey_page_links_to_qr_settings_and_preview(self, manager_client, html_titled_survey):
        page = manager_client.get(reverse("surveys:survey_detail", args=[html_titled_survey.pk])).content.decode()

        assert reverse("surveys:survey_qr", args=[html_titled_survey.pk]) in page
        assert reverse("surveys:survey_settings", args=[html_titled_survey.pk]) in page
        assert reverse("surveys:survey_preview", args=[html_titled_survey.pk]) in page
