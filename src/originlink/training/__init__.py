"""The training sandbox's lessons: the framework's processes (P1–P14) as guided exercises on a
network of training nodes sharing a simulated clock.

Lessons are data (:mod:`~originlink.training.lessons`, one TOML file per lesson, translated
through Babel catalogues by :mod:`~originlink.training.i18n`); each step is checked from the
nodes' own state through their back-office API (:mod:`~originlink.training.checks`), never from
what the learner says; :mod:`~originlink.training.engine` keeps score and stores progress through
the progress service; :mod:`~originlink.training.diagram` draws what the nodes exchanged.
The pages (:mod:`originlink.web`) and the ``originlink sandbox`` command use them alike.
"""
