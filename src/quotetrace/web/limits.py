"""A cap on request bodies: a clear 413 before a large upload is read into memory."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """ASGI middleware: refuse a request whose body is (or turns out to be) larger than ``max_bytes``.

    A declared Content-Length is checked before anything is read; a chunked
    body is counted as it arrives, and reading it stops at the cap.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(self.max_bytes, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, _message(self.max_bytes))
            return message

        await self.app(scope, counted, send)


def _message(max_bytes: int) -> str:
    return (f"The request is larger than {max_bytes / 1_000_000:g} MB. "
            "Send a shorter article, or run quotetrace on the command line for large files.")


async def _too_large(max_bytes: int, send: Send) -> None:
    body = ('{"error": "%s"}' % _message(max_bytes)).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
