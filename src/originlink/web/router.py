"""The web application under ``/app/``, as one router the composition root mounts in the node's
FastAPI application (``bootstrap.build_app``).

Each module of :mod:`originlink.web.routes` has its own router with ``route_class=WebRoute``;
a new module is added to :data:`PAGE_ROUTERS`.
"""

from __future__ import annotations

from fastapi import APIRouter

from originlink.web.routes import home, sign_in, training

#: The routers of the pages, in the order their paths are matched.
PAGE_ROUTERS: tuple[APIRouter, ...] = (sign_in.router, home.router, training.router)


def create_web_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for pages in PAGE_ROUTERS:
        router.include_router(pages)
    return router
