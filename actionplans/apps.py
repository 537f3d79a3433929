from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "actionplans"

    def ready(self) -> None:
        # actionplans plugs into surveys at start-up (surveys may not import actionplans): what an erasure
        # removes here, and which touchpoints' responses a department member may read
        # (selectors/member_touchpoints.py, applied by surveys/selectors/access.py).
        from actionplans.selectors.member_touchpoints import touchpoints_readable_by
        from actionplans.services import erasure
        from surveys.selectors import access

        erasure.register()
        access.member_touchpoints_register(touchpoints_readable_by)
        # The churn model's scoring run opens follow-ups for customers at risk (decisions → actionplans).
        from actionplans.services.churn_follow_up import on_churn_scored
        from decisions.signals import churn_scored

        churn_scored.connect(on_churn_scored, dispatch_uid="actionplans.churn_follow_ups")
