"""Use cases: one function per use case, each in one unit of work."""
