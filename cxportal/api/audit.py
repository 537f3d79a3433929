"""``GET /api/v1/audit-log/``: the audit log, newest first, filtered like the page (scope ``audit:read``)."""

from rest_framework import mixins, serializers, viewsets

from cxportal.audit_log import ACTION_LABELS, AuditLogFilterSet, audit_entries, entry_view


class AuditEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    timestamp = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=list(ACTION_LABELS))
    event = serializers.CharField(help_text="`sign_in` or `sign_in_failed` for sign-ins; empty otherwise.")
    object_type = serializers.CharField(help_text="`<app>.<model>`, e.g. `actionplans.action`.")
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    actor_id = serializers.IntegerField(
        allow_null=True, help_text="The person's id; null for an API key or the system."
    )
    actor = serializers.CharField(help_text="The person's user name, or the API key's name and prefix.")
    api_key = serializers.CharField(allow_null=True, help_text="The prefix of the API key that made the change.")
    remote_addr = serializers.CharField(allow_null=True)
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True), min_length=2, max_length=2),
        help_text='`{"<field>": [before, after]}`.',
    )

    def to_representation(self, instance):
        view = entry_view(instance)
        data = {**view.__dict__, "changes": {field: list(pair) for field, pair in view.changes.items()}}
        return super().to_representation(data)


class AuditLogViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Staff changes (UI, API, admin) and sign-ins; entries cannot be changed or deleted."""

    api_area = "audit"
    member_access = None
    serializer_class = AuditEntrySerializer
    filterset_class = AuditLogFilterSet
    ordering_fields = ["timestamp"]

    def get_queryset(self):
        return audit_entries()
