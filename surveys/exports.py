"""Exporting responses to CSV and XLSX: one row per response, one column per question.

Rows are produced lazily, ``EXPORT_CHUNK_SIZE`` responses at a time (one query for the responses and one
for their answers per chunk), so an export of 100,000 responses never holds them all in memory. Every
cell goes through ``cxportal.exports.neutralise_cell`` in the writers.
"""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from cxportal.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_stream, xlsx_file
from surveys import selectors
from surveys.models import Answer, Question, Response

EXPORT_CHUNK_SIZE = 2000
FORMATS = ("csv", "xlsx")
# Translated headers; the values stay machine-readable (ISO 8601 dates, numbers as numbers).
FIXED_HEADERS = [
    _("Response ID"),
    _("Survey"),
    _("Touchpoint"),
    _("Submitted at"),
    _("Source"),
    _("Customer external ID"),
]


def _question_header(question: Question, *, several_surveys: bool) -> str:
    return f"{question.survey.title}: {question.text}" if several_surveys else question.text


def _answer_cell(answer: Answer):
    if answer.value is not None:
        return answer.value
    if answer.choices:
        return "; ".join(str(c) for c in answer.choices)
    return answer.text


def response_rows(*, responses: QuerySet[Response]) -> Iterator[list]:
    """The header row, then one row per response (submitted_at in ISO 8601 with the site's UTC offset).

    Headers and labels are in the language of the request, also while a streamed download is written.
    """
    language = get_language()
    with override(language):
        yield from _response_rows(responses=responses)


def _response_rows(*, responses: QuerySet[Response]) -> Iterator[list]:
    questions = selectors.export_questions(responses=responses)
    several = len({q.survey_id for q in questions}) > 1
    column = {q.pk: i for i, q in enumerate(questions)}
    yield [str(header) for header in FIXED_HEADERS] + [_question_header(q, several_surveys=several) for q in questions]

    answers = Answer.objects.only("response_id", "question_id", "value", "text", "choices")
    rows = (
        responses.select_related(None)
        .select_related("survey", "touchpoint", "customer")
        .prefetch_related(None)
        .prefetch_related(Prefetch("answers", queryset=answers))
    )
    for response in rows.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        cells = [""] * len(questions)
        for answer in response.answers.all():
            if answer.question_id in column:
                cells[column[answer.question_id]] = _answer_cell(answer)
        anonymous = response.survey.anonymous or response.customer is None
        yield [
            response.pk,
            response.survey.title,
            response.touchpoint.name if response.touchpoint else "",
            timezone.localtime(response.submitted_at).isoformat(timespec="seconds"),
            response.get_source_display(),
            "" if anonymous else response.customer.external_id,
            *cells,
        ]


def responses_export(*, responses: QuerySet[Response], file_format: str):
    """An HTTP response that downloads ``responses`` as CSV (streamed) or XLSX."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    rows = response_rows(responses=responses)
    if file_format == "xlsx":
        return FileResponse(
            xlsx_file(rows, title=str(_("Responses"))),
            as_attachment=True,
            filename=f"responses-{stamp}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    download = StreamingHttpResponse(csv_stream(rows), content_type=CSV_CONTENT_TYPE)
    download["Content-Disposition"] = f'attachment; filename="responses-{stamp}.csv"'
    return download
