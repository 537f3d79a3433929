from django.urls import path

from reports.views import reports as views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("sections/", views.report_section_picker, name="report_section_picker"),
    path("<int:report_id>/", views.report_detail, name="report_detail"),
    path("<int:report_id>/edit/", views.report_edit, name="report_edit"),
    path("<int:report_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("<int:report_id>/history/", views.report_history, name="report_history"),
    path("<int:report_id>/sent/<int:send_id>/pdf/", views.report_sent_pdf, name="report_sent_pdf"),
    path("<int:report_id>/send/", views.report_send_now, name="report_send_now"),
    path("<int:report_id>/send/<int:batch>/", views.report_send_progress, name="report_send_progress"),
]
