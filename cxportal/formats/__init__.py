"""Our date and number formats per language (FORMAT_MODULE_PATH); what is not here comes from Django."""
