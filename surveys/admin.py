from django.contrib import admin

from surveys.models import Answer, Campaign, Invitation, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "touchpoint", "language", "is_active", "created_at"]
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "survey", "customer", "source", "submitted_at"]
    list_filter = ["source", "survey"]
    list_select_related = ["survey", "customer"]
    inlines = [AnswerInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "survey", "status", "send_at", "dispatched_at", "completed_at"]
    list_filter = ["status"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "customer", "status", "sent_at", "attempts"]
    list_filter = ["status"]
    list_select_related = ["campaign", "customer"]
    exclude = ["token"]
