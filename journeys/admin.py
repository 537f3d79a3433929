from django.contrib import admin

from journeys.models import Customer, JourneyMap, Persona, Stage, Touchpoint


@admin.register(Persona)
class PersonaAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "updated_at"]
    search_fields = ["name", "role"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "persona", "language", "acquired_at", "churned_at"]
    list_filter = ["persona", "language", "do_not_contact"]
    search_fields = ["external_id", "name", "email"]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0


@admin.register(JourneyMap)
class JourneyMapAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "updated_at"]
    list_filter = ["kind", "status"]
    inlines = [StageInline]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "channel", "emotion_score", "is_moment_of_truth"]
    list_filter = ["channel", "is_moment_of_truth", "stage__journey_map"]
    list_select_related = ["stage"]
