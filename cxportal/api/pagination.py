"""Lists are paginated ``{"count", "next", "previous", "results"}`` (``page``, ``page_size`` ≤ 500).

``page`` and ``page_size`` must be positive whole numbers (``page_size=null`` is a 400, not the default); a
``page_size`` above 500 gives 500 rows; a ``page`` past the last is a 404.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _positive_int(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or not raw.strip().isdigit():
        raise ValidationError({name: [_("A whole number of 1 or more.")]})
    return value


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        size = _positive_int(request, self.page_size_query_param)
        if size is None:
            return self.page_size
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return super().get_page_number(request, paginator)
        number = _positive_int(request, self.page_query_param)
        return number if number is not None else 1
