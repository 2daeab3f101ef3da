"""Pure ASGI middleware (no BaseHTTPMiddleware: it buffers and costs throughput on every request)."""

import os
import re
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fne_kernel.errors import PROBLEM_MEDIA_TYPE, problem_bytes
from fne_kernel.logging import get_logger, request_id_var

REQUEST_ID_HEADER = b"x-request-id"
_VALID_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,128}$")

access_logger = get_logger("fne.access")


def incoming_request_id(scope: Scope) -> str:
    headers: list[tuple[bytes, bytes]] = scope["headers"]
    for name, value in headers:
        if name == REQUEST_ID_HEADER:
            if _VALID_REQUEST_ID.match(value):
                return value.decode()
            break
    return os.urandom(16).hex()  # as unique as a uuid4, at a quarter of its cost on the hot path


class RequestContextMiddleware:
    """Takes or creates the request id, echoes it in the response and writes one access-log line."""

    def __init__(self, app: ASGIApp, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if self.access_log:
                access_logger.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)


async def send_problem(
    send: Send,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extensions: Any,
) -> None:
    body = problem_bytes(status, code, title, detail, **extensions)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, from the declared length or while the body streams in."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_body_bytes:
                    await send_problem(
                        send,
                        413,
                        "payload-too-large",
                        "Corps de requête trop volumineux",
                        f"Limite : {self.max_body_bytes} octets",
                    )
                    return
                break
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # An HTTPException passes FastAPI's body parsing untouched and reaches the problem
                    # handler.
                    raise HTTPException(413, f"Limite : {self.max_body_bytes} octets")
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except HTTPException as exc:
            if exc.status_code != 413 or response_started:
                raise
            await send_problem(
                send,
                413,
                "payload-too-large",
                "Corps de requête trop volumineux",
                f"Limite : {self.max_body_bytes} octets",
            )
