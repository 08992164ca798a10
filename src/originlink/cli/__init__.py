"""The ``originlink`` command line (typer). Every command calls services or the domain, never
the store directly; errors become one readable line and an exit code, never a traceback."""
