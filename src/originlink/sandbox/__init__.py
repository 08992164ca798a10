"""``originlink sandbox``: a training network on this machine — an issuing authority, an
importing customs, a hub and a third country on one shared simulated clock — its users and
sample applications (:mod:`~originlink.sandbox.network`), and the player that takes every
lesson unattended (:mod:`~originlink.sandbox.autoplay`, acting through
:mod:`~originlink.sandbox.actions`). Lessons themselves are in :mod:`originlink.training`.
"""
