"""Reading a bounded JSON body, and the ``{"error": ...}`` answers of the API."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse


class ClientError(Exception):
    """A request the server refuses: HTTP *status* with a one-line *message*."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """``{"error": message}`` with *status*."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def read_json(request: Request, limit: int) -> dict[str, Any]:
    """The request's JSON object; 413 past *limit* bytes (declared or streamed), 422 if
    it is not a JSON object."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ClientError(400, "Content-Length is not a number") from None
        if size > limit:
            raise ClientError(413, f"request body of {size:,} bytes; at most {limit:,} allowed")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ClientError(413, f"request body over {limit:,} bytes; at most {limit:,} allowed")
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        msg = f"request body is not valid JSON: {exc}"[:300]
        raise ClientError(422, msg) from None
    if not isinstance(data, dict):
        raise ClientError(422, "request body: expected a JSON object")
    return data


def expect_keys(data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """422 naming the first key of *data* that is not in *allowed*."""
    for key in data:
        if key not in allowed:
            msg = f"unknown key {key!r} in the request; allowed: {', '.join(allowed)}"
            raise ClientError(422, msg[:300])
