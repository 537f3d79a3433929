"""The surveys UI, by topic: builder, campaigns, responses (managers) and respondent (public)."""
