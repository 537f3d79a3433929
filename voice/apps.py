from django.apps import AppConfig


class VoiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "voice"
    verbose_name = "Voice of the customer"

    def ready(self) -> None:
        from voice import panels
        from voice.services import erasure, retention

        erasure.register()
        retention.register()
        panels.register()
