"""Query parameters are a contract: an unknown filter, an unknown ordering field or a filter given twice is a 400
that names what the operation accepts, never silently ignored (a typo must not return everything).

``FilterBackend`` and ``OrderingFilter`` replace django-filter's and DRF's in ``DEFAULT_FILTER_BACKENDS``. The
parameters an operation accepts are its filters, ``ordering``, ``page`` and ``page_size`` when it is paginated,
``format``, and what the view names in ``extra_query_params``. Filters ending in ``__in`` take a comma-separated
list and also the repeated form (``?status__in=open&status__in=done``); any other parameter given twice is a 400.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

# Parameters every operation reads.
ALWAYS_ALLOWED = {api_settings.URL_FORMAT_OVERRIDE}


def _pagination_params(view) -> set[str]:
    paginator = getattr(view, "paginator", None)
    if paginator is None:
        return set()
    names = {getattr(paginator, "page_query_param", None), getattr(paginator, "page_size_query_param", None)}
    return {name for name in names if name}


def _ordering_params(view) -> set[str]:
    backends = getattr(view, "filter_backends", None) or []
    return {
        getattr(backend, "ordering_param", api_settings.ORDERING_PARAM)
        for backend in backends
        if isinstance(backend, type) and issubclass(backend, filters.OrderingFilter)
    }


def allowed_query_params(view, filter_names=()) -> set[str]:
    return (
        ALWAYS_ALLOWED
        | set(filter_names)
        | _pagination_params(view)
        | _ordering_params(view)
        | set(getattr(view, "extra_query_params", ()))
    )


def check_query_params(request, allowed: set[str], *, multi: set[str] = frozenset()) -> None:
    """400 for a parameter the operation does not read, or one given twice that takes one value."""
    unknown = sorted(name for name in request.query_params if name not in allowed)
    if unknown:
        raise ValidationError(
            {
                name: [
                    _("Unknown query parameter. This operation accepts: %(names)s.")
                    % {"names": ", ".join(sorted(allowed)) or "–"}
                ]
                for name in unknown
            }
        )
    repeated = sorted(
        name for name in request.query_params if name not in multi and len(request.query_params.getlist(name)) > 1
    )
    if repeated:
        raise ValidationError({name: [_("Given more than once; give one value.")] for name in repeated})


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, strict about the query string (see the module docstring)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"]
        if any(len(data.getlist(name)) > 1 for name in data if name.endswith("__in")):
            data = data.copy()
            for name in list(data):
                if name.endswith("__in"):
                    data.setlist(name, [",".join(value for value in data.getlist(name) if value != "")])
            kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        names = set(filterset_class.base_filters) if filterset_class is not None else set()
        check_query_params(
            request, allowed_query_params(view, names), multi={name for name in names if name.endswith("__in")}
        )
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, with a 400 for a field it cannot order by; the schema lists the fields."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
            fields = [param.strip() for param in params.split(",")]
            wrong = [field for field in fields if field.lstrip("-") not in valid]
            if wrong:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Cannot order by %(fields)s. Fields: %(valid)s (prefix - for descending).")
                            % {"fields": ", ".join(wrong), "valid": ", ".join(sorted(valid)) or "–"}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        try:
            queryset = view.get_queryset()
        except Exception:  # noqa: BLE001 — schema generation without a request: fall back to the declared fields
            queryset = None
        fields = self._declared_fields(view, queryset)
        for parameter in parameters:
            if parameter.get("name") == self.ordering_param and fields:
                values = sorted(fields) + sorted(f"-{field}" for field in fields)
                parameter["description"] = (
                    "Sort by one or more fields, comma-separated; prefix `-` for descending. Fields: "
                    + ", ".join(f"`{field}`" for field in sorted(fields))
                    + "."
                )
                parameter["schema"] = {"type": "array", "items": {"type": "string", "enum": values}}
                parameter["style"] = "form"
                parameter["explode"] = False
        return parameters

    def _declared_fields(self, view, queryset) -> list[str]:
        declared = getattr(view, "ordering_fields", self.ordering_fields)
        if declared and declared != "__all__":
            return [field if isinstance(field, str) else field[0] for field in declared]
        serializer_class = getattr(view, "serializer_class", None)
        if serializer_class is None:
            return []
        return [
            field.source.replace(".", "__") or name
            for name, field in serializer_class().fields.items()
            if not getattr(field, "write_only", False) and field.source != "*"
        ]
