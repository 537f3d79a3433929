from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"

    def ready(self) -> None:
        from surveys import signals
        from surveys.services import erasure

        erasure.register()
        signals.register()
