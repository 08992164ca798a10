"""The pure core: the e-CO dataset, findings, agreement profiles, state machines and rules.

Nothing in here performs I/O: callers pass bytes in, read clocks through :mod:`.clock`, and get
values, findings and events back.
"""
