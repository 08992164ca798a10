"""Benchmarks, one module per benchmark, run by ``originlink bench ...``.

Each prints its figures as ratios to the raw cost of the work (e.g. a document signature against
the bare signature of the same bytes), so a regression in the surrounding code is visible on any
machine. They are commands, never timed tests; the test suite only runs their ``--quick`` form.
"""
