"""``/health/live`` (the process answers) and ``/health/ready`` (the node can do its work).

Readiness runs every check the composition root gives (database reachable, migrations at
head, signing key loadable, a worker heartbeat recent); each returns None when fine or one
sentence saying what is wrong. A load balancer sends traffic only to a ready instance; a
failing check answers 503 problem+json naming it, with every check's result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from originlink.api.problems import problem

#: One readiness check: None when fine, else what is wrong.
Check = Callable[[], str | None]


def run_checks(checks: Mapping[str, Check]) -> dict[str, str]:
    """Each check's result (``ok`` or the problem); a check that raises fails with its error."""
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            problem_text = check()
        except Exception as exc:  # a check must never take the endpoint down
            problem_text = f"{type(exc).__name__}: {exc}"
        results[name] = "ok" if problem_text is None else problem_text
    return results


def create_health_router(checks: Mapping[str, Check], identity: dict[str, Any]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live", summary="Liveness: the process answers")
    def live() -> dict[str, Any]:
        """200 whenever the process can answer (it checks nothing else)."""
        return {"status": "ok", **identity}

    @router.get(
        "/health/ready",
        summary="Readiness: database, migrations, signing key, worker heartbeat",
        response_model=None,
        responses={503: {"description": "A check failed; `failing` names it."}},
    )
    async def ready() -> Response:
        """200 when every check passes; 503 naming the failing checks otherwise."""
        results = await run_in_threadpool(run_checks, checks)
        failing = [name for name, result in results.items() if result != "ok"]
        if failing:
            detail = "; ".join(f"{name}: {results[name]}" for name in failing)
            return problem(503, "NOT_READY", "Not ready", detail, failing=failing, checks=results)
        return JSONResponse({"status": "ready", "checks": results, **identity})

    return router
