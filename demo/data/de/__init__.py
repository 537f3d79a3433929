"""The German texts of the demo, each paired with its English partner in ``demo.data`` (see ``demo.data.language``).

Only texts live here: the numbers, keys and order of the demo come from the English modules, so the German demo
loads the same company with the same KPIs. Written as a German Mittelstand company writes: Sie-Form towards
customers, the CX vocabulary of DOMAIN.md (Customer Journey, Touchpoint, NPS stay as they are).
"""
