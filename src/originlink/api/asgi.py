"""The application factory that ASGI servers run::

    uvicorn --factory originlink.api.asgi:create_app --workers 4
    gunicorn -k uvicorn_worker.UvicornWorker 'originlink.api.asgi:create_app()'

It reads the node's configuration from its home (``ORIGINLINK_HOME``) and the environment
(``ORIGINLINK_*``) through :mod:`originlink.config`, sets up structured logs, builds the node
and returns its application, with the delivery worker running inside (unless the setting
``serve_worker`` is off: then run ``originlink worker`` beside it). ``originlink serve`` runs
the same factory. Each server process calls it once.
"""

from __future__ import annotations

from typing import Any


def create_app() -> Any:
    """The node's ASGI application, configured from ``ORIGINLINK_HOME`` and the environment."""
    from originlink.bootstrap import build_configured_app

    return build_configured_app()
