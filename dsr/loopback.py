"""An HTTP server on 127.0.0.1 in a thread of its own: what the local stand-ins for outside services
(GOV.UK Notify, an OpenID Connect provider) run on, in the tests and for trying them by hand."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar, Self


class LoopbackServer:
    """Mixed into a stand-in that has `port` (0 for any free one) and `_server` attributes; its requests
    are answered by `handler`, a request handler class that finds the stand-in as `self.standin`."""

    handler: ClassVar[type[BaseHTTPRequestHandler]]
    thread_name: ClassVar[str] = "stand-in"
    port: int
    _server: ThreadingHTTPServer | None

    @property
    def url(self) -> str:
        """Where it answers."""
        assert self._server is not None, "start() the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        handler = type("Handler", (self.handler,), {"standin": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self._server.serve_forever, name=self.thread_name, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
