"""Viewset plumbing shared by the apps' APIs."""

from cxportal.actor import request_person


class ServiceViewSetMixin:
    """Route a ModelViewSet's writes through services.

    ``create_service(**validated_data)`` creates (it may need ``by``: the request user, given when the
    viewset sets ``user_kwarg``); updates go through ``model_update`` over ``update_fields``, so the
    row is validated like every other write.
    """

    create_service = None
    update_fields: list[str] = []
    user_kwarg: str | None = None

    def perform_create(self, serializer):
        kwargs = dict(serializer.validated_data)
        if self.user_kwarg:
            kwargs[self.user_kwarg] = request_person(self.request)
        serializer.instance = type(self).create_service(**kwargs)

    def perform_update(self, serializer):
        from cxportal.services import model_update

        serializer.instance = model_update(
            instance=serializer.instance, data=serializer.validated_data, fields=self.update_fields
        )
