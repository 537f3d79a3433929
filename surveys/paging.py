"""The pages of a multi-page answer: which pages there are, which one is shown, and the answers kept meanwhile.

``AnswerPages`` owns them for one respondent and survey: the respondent view asks it for the page to show,
what to keep when the respondent moves on or back, the answers of every page for the final submit, and the
page an error of the final check belongs to. Display logic on earlier pages is applied here; the service
(``surveys.services.responses.answers_validate``) checks everything again on submit.
"""

from surveys.models import Question


def pages_of(questions: list[Question]) -> list[list[Question]]:
    """Split the ordered questions into pages at each question that starts a page."""
    pages: list[list[Question]] = []
    for q in questions:
        if not pages or q.starts_page:
            pages.append([])
        pages[-1].append(q)
    return pages


def visible_pages(questions: list[Question], known: dict[int, dict]) -> list[list[Question]]:
    """The pages to show, given the answers of earlier pages.

    A question whose condition refers to an earlier page is settled already: it is left out when the
    condition is not met. One whose condition refers to its own page stays (the page marks it and a
    script hides it live; the service ignores it if the condition turns out false). Empty pages are skipped.
    """
    pages = pages_of(questions)
    page_of = {q.id: i for i, page in enumerate(pages) for q in page}
    hidden: set[int] = set()
    shown_pages = []
    for i, page in enumerate(pages):
        shown = []
        for q in page:
            source = q.show_if_question_id
            if q.has_condition and page_of.get(source, i) < i:
                value = None if source in hidden else known.get(source, {}).get("value")
                if not q.condition_holds(value):
                    hidden.add(q.id)
                    continue
            shown.append(q)
        if shown:
            shown_pages.append(shown)
    return shown_pages


class KeptAnswers:
    """Answers of earlier pages, kept in the session (server side) until the final submit stores them all."""

    def __init__(self, session, key: str):
        self.session = session
        self.key = f"surveys:answers:{key}"

    def load(self) -> dict[int, dict]:
        return {int(k): v for k, v in self.session.get(self.key, {}).items()}

    def keep(self, items: list[dict]) -> None:
        kept = self.session.get(self.key, {})
        kept.update({str(item["question"]): item for item in items})
        self.session[self.key] = kept

    def clear(self) -> None:
        self.session.pop(self.key, None)


class AnswerPages:
    """One respondent's way through a survey's pages; answers of earlier pages are kept in the session."""

    def __init__(self, *, session, key: str, questions: list[Question], requested: str | None):
        self.questions = questions
        self._kept = KeptAnswers(session, key)
        self.known = self._kept.load()
        self.pages = visible_pages(questions, self.known)
        try:
            number = int(requested or 1)
        except ValueError:
            number = 1
        self.number = min(max(number, 1), max(self.count, 1))

    @property
    def count(self) -> int:
        return len(self.pages)

    @property
    def page(self) -> list[Question]:
        """The questions of the page shown (none for a survey without questions)."""
        return self.pages[self.number - 1] if self.pages else []

    @property
    def is_last(self) -> bool:
        return self.number == self.count

    def questions_of(self, number: int) -> list[Question]:
        return self.pages[number - 1]

    def merged(self, items: list[dict]) -> list[dict]:
        """This page's answers with those kept from the other pages: the whole response."""
        on_page = {q.id for q in self.page}
        return [{**item, "question": qid} for qid, item in self.known.items() if qid not in on_page] + items

    def keep(self, items: list[dict]) -> None:
        self._kept.keep(items)

    def clear(self) -> None:
        self._kept.clear()

    def first_page_with_errors(self, error_keys) -> int:
        """The earliest page with an error among ``error_keys`` (``q<id>``); this page when none is on a page."""
        page_index = {q.id: i for i, page in enumerate(self.pages) for q in page}
        numbers = [page_index[int(k[1:])] + 1 for k in error_keys if k.startswith("q") and int(k[1:]) in page_index]
        return min(numbers, default=self.number)
