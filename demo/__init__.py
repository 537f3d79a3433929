"""The demo data set and its `load_demo` command: data in ``demo.data``, one loader per area in ``demo.loaders``."""
