"""The training sandbox's table: each learner's progress through each lesson.

A row per (learner, lesson): where the learner is, how many times each step's check was run and
passed, the score, and the facts the checks found (the CO a lesson is about, the case opened),
so that a later step checks the same things and an instructor sees every learner's progress.
Kept on the node that serves the lessons (the sandbox's issuing authority).
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from originlink.store.tables import metadata
from originlink.store.types import UtcDateTime

lesson_progress = Table(
    "lesson_progress",
    metadata,
    Column("learner", String(64), primary_key=True),
    Column("lesson_id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("score", Integer, nullable=False),
    Column("max_score", Integer, nullable=False),
    Column("steps", Text, nullable=False),
    Column("facts", Text, nullable=False),
)
