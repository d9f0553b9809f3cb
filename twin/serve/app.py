"""The FastAPI application of ``twin serve``: the JSON API and the workbench page.

=========================  ===============================================================
``GET /``                  the what-if workbench (``templates/workbench.html``)
``GET /api/sites``         the built-in sites
``GET /api/examples``      the example campuses (name and title)
``GET /api/schema``        the scenario's JSON schema, from the pydantic model
``POST /api/scenario``     the full scenario of a request (JSON; ``?format=toml`` for TOML)
``POST /api/run``          the text of ``twin run --json`` for the scenario
``POST /api/whatif``       that object and the workbench's series
``POST /api/report``       the HTML report of the run (``twin report``)
``POST /api/sweep``        queue a sweep job: ``{"id": ...}`` (202)
``GET /api/sweep/{id}``    its status, and its KPI table when done
=========================  ===============================================================

A request body is ``{"scenario": {...} | null, "example": NAME | null, "set": [...]}``
(a sweep adds ``vary``, ``design``, ``n``, ``seed``). Refusals: 422 ``{"error": ...}`` with
the CLI's message, 413 past :data:`~twin.serve.config.MAX_BODY_BYTES`, 503 with
``Retry-After`` when the queue is full, 401 without the token when one is set.
"""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.staticfiles import StaticFiles

from twin import examples
from twin.errors import TwinError
from twin.frontdoor import FILE_FIELDS, check_vary, public_dict, served_scenario
from twin.report.html import TILES
from twin.report.jinja import render
from twin.report.rundir import to_toml
from twin.scenario.model import Scenario
from twin.serve import work
from twin.serve.config import RETRY_AFTER_S, ServeConfig
from twin.serve.http import ClientError, error, expect_keys, read_json
from twin.serve.jobs import SweepJobs
from twin.serve.pool import Busy, SimPool

RUN_KEYS = ("scenario", "example", "set")
SWEEP_KEYS = (*RUN_KEYS, "vary", "design", "n", "seed")
BUSY = {"Retry-After": str(RETRY_AFTER_S)}
#: Tiles of the page besides the report's (:data:`twin.report.html.TILES`).
PAGE_TILES = (("water_m3", "water", " m³"), ("unmet_energy_mwh", "unmet energy", " MWh"))


def _authorised(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    given = given[7:] if given.lower().startswith("bearer ") else ""
    given = given or request.cookies.get("twin_token", "") or request.query_params.get("token", "")
    return hmac.compare_digest(given.encode(), token.encode())


def _scenario(body: dict[str, Any], config: ServeConfig) -> tuple[Scenario, dict[str, str]]:
    return served_scenario(
        body.get("scenario"), body.get("example"), body.get("set", []), config.data_dir
    )


def _hide_paths(message: str, config: ServeConfig) -> str:
    """A message without the server's data directory in it."""
    if config.data_dir is not None:
        message = message.replace(str(config.data_dir.resolve()) + "/", "")
    return message[:500]


def create_app(config: ServeConfig | None = None, *, warm: bool = True) -> FastAPI:
    """The application; with *warm*, the simulation processes are started and warmed
    before the first request is accepted."""
    config = config or ServeConfig()
    pool = SimPool(config.workers, config.queue)
    jobs = SweepJobs(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            app.state.warm_s = pool.warm()
        yield
        pool.close()
        jobs.close()

    app = FastAPI(title="Atlas Twin", version="1", lifespan=lifespan, docs_url="/api/docs",
                  redoc_url=None, openapi_url="/api/openapi.json")  # fmt: skip
    app.state.pool, app.state.jobs, app.state.config = pool, jobs, config
    static = resources.files("twin.serve").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    _add_guards(app, config)

    async def simulate(fn, body: dict[str, Any]) -> Any:
        sc, files = _scenario_or_422(body, config)
        try:
            return await pool.call(fn, sc.to_dict(), files)
        except Busy:
            raise ClientError(503, "the server is busy: try again shortly", BUSY) from None
        except TwinError as exc:
            raise ClientError(422, str(exc)) from None

    async def body_of(request: Request, keys: tuple[str, ...]) -> dict[str, Any]:
        body = await read_json(request, config.max_body_bytes)
        expect_keys(body, keys)
        return body

    @app.get("/", response_class=HTMLResponse)
    async def page() -> HTMLResponse:
        tiles = [
            {"key": key, "text": "–", "unit": unit, "label": label}
            for key, label, unit in (*TILES, *PAGE_TILES)
        ]
        return HTMLResponse(
            render("workbench.html", title="Atlas Twin — what-if workbench", tiles=tiles)
        )

    @app.get("/api/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "workers": pool.workers, "pending": pool.pending}

    @app.get("/api/sites")
    async def sites() -> list[dict[str, Any]]:
        from weather.sites import list_sites

        keys = ("id", "name", "lat", "lon", "elevation_m", "climate_note")
        return [{k: getattr(s, k, None) for k in keys} for s in list_sites()]

    @app.get("/api/examples")
    async def example_list() -> list[dict[str, str]]:
        return [{"name": n, "title": _title(examples.text(n))} for n in examples.names()]

    @app.get("/api/schema")
    async def schema() -> dict[str, Any]:
        return Scenario.model_json_schema()

    @app.post("/api/scenario")
    async def scenario(request: Request, format: str = "json") -> Response:
        sc, files = _scenario_or_422(await body_of(request, RUN_KEYS), config)
        data = public_dict(sc, files)
        if format == "toml":
            return Response(to_toml(data), media_type="application/toml")
        return JSONResponse(data)

    @app.post("/api/run")
    async def run(request: Request) -> Response:
        text = await simulate(work.run_json, await body_of(request, RUN_KEYS))
        return Response(text, media_type="application/json")

    @app.post("/api/whatif")
    async def whatif(request: Request) -> Response:
        text = await simulate(work.whatif, await body_of(request, RUN_KEYS))
        return Response(text, media_type="application/json")

    @app.post("/api/report", response_class=HTMLResponse)
    async def report(request: Request) -> HTMLResponse:
        return HTMLResponse(await simulate(work.report_html, await body_of(request, RUN_KEYS)))

    @app.post("/api/sweep", status_code=202)
    async def sweep(request: Request) -> dict[str, Any]:
        body = await body_of(request, SWEEP_KEYS)
        return _queue_sweep(body, config, jobs)

    @app.get("/api/sweep/{job_id}")
    async def sweep_status(job_id: str) -> dict[str, Any]:
        job = jobs.get(job_id)
        if job is None:
            raise ClientError(404, f"no sweep job {job_id[:40]!r} (finished jobs are kept a while)")
        return job

    return app


def _add_guards(app: FastAPI, config: ServeConfig) -> None:
    """The token check and the ``{"error": ...}`` answers of every refusal."""

    @app.middleware("http")
    async def guard(request: Request, call_next):
        path = request.url.path
        guarded = path.startswith("/api/") and path != "/api/health"
        if config.token and guarded and not _authorised(request, config.token):
            return error(401, "a token is required: send 'Authorization: Bearer <token>'")
        response = await call_next(request)
        if config.token and request.query_params.get("token") == config.token:
            response.set_cookie("twin_token", config.token, httponly=True, samesite="strict")
        return response

    @app.exception_handler(ClientError)
    async def client_error(request: Request, exc: ClientError):
        return error(exc.status, _hide_paths(exc.message, config), exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # a bug, never a client's input
        logging.getLogger("twin.serve").error("%s %s", request.url.path, exc, exc_info=exc)
        return error(500, f"internal error ({type(exc).__name__}); the server log has the details")

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error(422, "; ".join(str(e.get("msg")) for e in exc.errors())[:500])


def _title(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("#") and line.strip("# "):
            return line.strip("# ").strip()
    return ""


def _scenario_or_422(body: dict[str, Any], config: ServeConfig):
    try:
        return _scenario(body, config)
    except TwinError as exc:
        raise ClientError(422, str(exc)) from None


def _queue_sweep(body: dict[str, Any], config: ServeConfig, jobs: SweepJobs) -> dict[str, Any]:
    """Check a sweep request whole (scenario, every varied value, size), then queue it."""
    from twin.sweeps.design import parse_vary, plan

    try:
        base, _ = _scenario(body, config)
        vary = body.get("vary", {})
        if isinstance(vary, list) and all(isinstance(v, str) for v in vary):
            vary = parse_vary(vary)
        if not isinstance(vary, dict) or not all(isinstance(v, list) for v in vary.values()):
            msg = 'vary: expected {"key": [values]} or ["KEY=V1,V2", "KEY=START:STOP:N"]'
            raise ClientError(422, msg)
        design, n, seed = body.get("design", "grid"), body.get("n"), body.get("seed", 0)
        if n is not None and (not isinstance(n, int) or isinstance(n, bool)):
            raise ClientError(422, f"n = {n!r}: expected an integer >= 1")
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ClientError(422, f"seed = {seed!r}: expected an integer")
        if design == "grid":
            count = 1
            for values in vary.values():
                count *= max(1, len(values))
            jobs.check_size(count, base.n_steps)  # before the grid is spelled out
        rows = plan(vary, design, n, seed)
        jobs.check_size(len(rows), base.n_steps)
        for table, key in FILE_FIELDS:
            if f"{table}.{key}" in vary:
                msg = (
                    f"vary {table}.{key}: a sweep job cannot vary a file; send one sweep "
                    "per file (with set)"
                )
                raise ClientError(422, msg)
        check_vary(base, vary, served=True, data_dir=config.data_dir)
    except TwinError as exc:
        raise ClientError(422, str(exc)) from None
    try:
        job_id = jobs.submit(base.to_dict(), vary, design, n, seed, len(rows))
    except Busy:
        raise ClientError(503, "too many sweep jobs queued: try again later", BUSY) from None
    return {"id": job_id, "status": "queued", "n_scenarios": len(rows)}
