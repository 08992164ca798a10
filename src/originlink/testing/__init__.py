"""Helpers for tests of OriginLink and of systems built on it (public, kept small).

* :class:`TestCA`: an in-memory root that issues participants' signers and signed trust lists,
  and builds a :class:`~originlink.trust.trustlist.TrustStore` that trusts them.
* :mod:`originlink.testing.strategies`: hypothesis strategies for random valid CO documents
  (needs ``hypothesis``, a development dependency).
"""

from originlink.testing.ca import TEST_EPOCH, TestCA

__all__ = ["TEST_EPOCH", "TestCA"]
