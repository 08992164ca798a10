"""The web application under ``/app/``, as one router the composition root mounts in the node's
FastAPI application (``bootstrap.build_app``).

Each module of :mod:`originlink.web.routes` has its own router with ``route_class=WebRoute``;
a new module is added to :data:`PAGE_ROUTERS`.
"""

from __future__ import annotations

from fastapi import APIRouter

from originlink.web.routes import (
    account,
    activate,
    admin_exchange,
    admin_node,
    admin_partners,
    admin_users,
    customs_certificates,
    customs_claims,
    customs_verifications,
    exporter_applications,
    exporter_certificates,
    home,
    officer_applications,
    officer_certificates,
    officer_verifications,
    sign_in,
    training,
)

#: The routers of the pages, in the order their paths are matched.
PAGE_ROUTERS: tuple[APIRouter, ...] = (
    sign_in.router,
    activate.router,
    home.router,
    account.router,
    exporter_applications.router,
    exporter_certificates.router,
    officer_applications.router,
    officer_certificates.router,
    officer_verifications.router,
    customs_certificates.router,
    customs_claims.router,
    customs_verifications.router,
    admin_users.router,
    admin_partners.router,
    admin_exchange.router,
    admin_node.router,
    training.router,
)


def create_web_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for pages in PAGE_ROUTERS:
        router.include_router(pages)
    return router
