"""``/api/v1/reports/``: report definitions for integrators (scopes ``reports:read`` / ``reports:write``)."""
