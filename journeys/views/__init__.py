"""The journeys UI, by topic: maps (the workbench), personas, customers, exchange (export/import/derive)."""
