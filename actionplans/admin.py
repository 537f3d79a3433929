from django.contrib import admin

from actionplans.models import Action, Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "lead", "contact_email"]
    filter_horizontal = ["members"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "owner", "status", "priority", "due_date"]
    list_filter = ["status", "priority", "department"]
    list_select_related = ["department", "owner"]
