"""The request-size limit, as ASGI middleware in front of everything (API and web forms alike).

A request that declares a larger body is answered 413 at once, without reading it; one that sends
more than it declared, or streams without declaring, is cut off when it passes the limit.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from earcheck.api.errors import error_body

__all__ = ["BodyLimit"]


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes:,} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        # ASCII digits only, and few of them: "²".isdigit() is true and int() of 5,000 digits raises.
        if declared is not None and (
            not (declared.isascii() and declared.isdecimal() and len(declared) <= 18) or int(declared) > self.max_bytes
        ):
            response = JSONResponse(error_body("PayloadTooLarge", self._message()), status_code=413)
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException is what FastAPI lets through from a body read; the error
                    # table turns it into the JSON 413.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited, send)
