"""One scheduled management report: monthly, every section, to the CX manager (German or English with the
demo) and the board's address; found by its name in either language, so a second load adds nothing."""

from reports.models import ReportDefinition, ReportRecipient
from reports.sections import SECTIONS

REPORT = {"en": "Monthly management report", "de": "Monatlicher Management-Bericht"}
BOARD = "board@{domain}"
MACHINE_JOURNEY_TOUCHPOINT = "mj_onsite_service"


def load_report(data, users, touchpoints, counts) -> None:
    if ReportDefinition.objects.filter(name__in=REPORT.values()).exists():
        return
    touchpoint = touchpoints.get(MACHINE_JOURNEY_TOUCHPOINT)
    report = ReportDefinition.objects.create(
        name=REPORT[data.language],
        sections=list(SECTIONS),
        journey_map=touchpoint.stage.journey_map if touchpoint else None,
        rhythm=ReportDefinition.Rhythm.MONTHLY,
        day_of_month=1,
        language=data.language,
        created_by=users["cx.manager"],
    )
    ReportRecipient.objects.create(report=report, user=users["cx.manager"], language=data.language)
    ReportRecipient.objects.create(report=report, email=BOARD.format(domain=data.mail_domain), language="de")
    counts["reports"] += 1
