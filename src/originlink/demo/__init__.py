"""The demonstration network behind ``make demo``: three gateways and a hub as real processes
on loopback (:mod:`~originlink.demo.network`), the exchange story they play
(:mod:`~originlink.demo.exchange`) and its claims and verification part
(:mod:`~originlink.demo.claims`). The ``demo`` command and the exchange benchmark both use it;
it imports no entry point.
"""
