"""The demo data set as plain data: who, which maps, which surveys and scores, which actions. No database code."""
