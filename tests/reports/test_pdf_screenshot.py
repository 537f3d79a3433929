"""The first page of a rendered report, as a person sees it: a PNG in var/e2e/screenshots/ (pdftoppm)."""

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from reports.services.rendering import report_pdf

SCREENSHOT = Path(settings.BASE_DIR) / "var" / "e2e" / "screenshots" / "report-pdf-page-1.png"


def test_first_pdf_page_is_drawn_with_its_chart(april_and_may, monthly_report, tmp_path):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing: scripts/pdf_prereqs.sh installs poppler-utils")
        pytest.skip("pdftoppm is missing (apt-get install poppler-utils)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(
        report_pdf(report=monthly_report, date_from=date(2026, 5, 1), date_to=date(2026, 5, 31), language="de")
    )
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)

    subprocess.run(  # noqa: S603 - a fixed local program on our own file
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(SCREENSHOT.with_suffix(""))],
        check=True,
    )

    from PIL import Image

    with Image.open(SCREENSHOT) as image:
        assert image.size[0] > 500 and image.size[1] > 700  # an A4 page at 80 dpi
        # Not a blank page: the table and the trend chart's line leave many dark and blue pixels.
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert sum(count for count, (r, g, b) in colours if b > 150 and r < 80) > 200
