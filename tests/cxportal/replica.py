"""A ``replica`` database alias added for one test, and a count of the statements each alias ran."""

import copy
from contextlib import ExitStack, contextmanager

from django.db import connections
from django.test.utils import CaptureQueriesContext

from cxportal.dbrouter import REPLICA

WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE")


@contextmanager
def replica_alias(**overrides):
    """The ``replica`` alias, on the primary's test database unless ``overrides`` point it elsewhere."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict.update(overrides)
    connections.settings[REPLICA] = settings_dict
    wrapper = connections[REPLICA]
    # Django's test case refuses to open a connection for an alias it was not told about at set-up, unless the
    # alias is not configured; open it while it is not, then configure it (the router looks for it there).
    del connections.settings[REPLICA]
    wrapper.ensure_connection()
    connections.settings[REPLICA] = settings_dict
    try:
        yield wrapper
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


class Statements:
    """The SQL each alias ran inside the ``with`` block."""

    def __enter__(self):
        self._stack = ExitStack()
        self.captured = {
            alias: self._stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", REPLICA)
        }
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def sql(self, alias: str) -> list[str]:
        return [q["sql"] for q in self.captured[alias].captured_queries]

    def writes(self, alias: str) -> list[str]:
        return [s for s in self.sql(alias) if s.lstrip().upper().startswith(WRITES)]

    def reads_of(self, alias: str, table: str) -> int:
        return sum(1 for s in self.sql(alias) if table in s and s.lstrip().upper().startswith("SELECT"))
