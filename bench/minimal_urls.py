"""The product's URLs plus ``/bench/insert/``: a minimal Django view that inserts one row.

It is the reference of bench/submit.py: the same gunicorn server, settings, middleware (sessions, CSRF,
auth) and database as a survey submit, but the least a view that stores something can do — one
INSERT into a table of its own (``bench_row``, made by the benchmark; no model, no product code).
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST


@require_POST
def insert_one(request):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_row (payload) VALUES (%s)", [request.POST.get("payload", "")])
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/insert/", insert_one),
    path("", include("cxportal.urls")),
]
