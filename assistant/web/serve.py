"""Serving the Gradio app: a FastAPI app with the login routes, Gradio mounted at ``/``, uvicorn.

Nothing here keeps state a second replica would miss: the login is a signed cookie (``login``),
conversations travel with the browser's chat history, feedback and progress go to the database.
``POST /login`` takes the form fields ``username`` and ``password`` as Gradio's own login does, so
``gradio_client.Client(url, auth=(name, password))`` signs in unchanged.
"""

from __future__ import annotations

import html
import logging
import socket
import threading
import time
from typing import TYPE_CHECKING, Any

from assistant.web.login import COOKIE, Login

if TYPE_CHECKING:
    import gradio as gr
    from fastapi import FastAPI
    from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("imnm.app")

LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imnm: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}}
label,input,button{{display:block;width:100%;margin:.4rem 0}}input{{padding:.4rem}}
.err{{color:#b00020}}</style></head>
<body><h1>imnm</h1><p>Sign in to the assistant.</p>{message}
<form method="post" action="{action}" id="imnm-login">
<label for="username">Account</label><input id="username" name="username" autocomplete="username"
 required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password"
 autocomplete="current-password" required>
<input type="hidden" name="next" value="/">
<button type="submit">Sign in</button></form></body></html>
"""


def login_page(message: str = "", action: str = "login") -> str:
    shown = f'<p class="err">{html.escape(message)}</p>' if message else ""
    return LOGIN_PAGE.format(message=shown, action=html.escape(action, quote=True))


def make_app(demo: gr.Blocks, login: Login) -> FastAPI:
    """The app to serve: login routes first, then Gradio at ``/`` (behind the login if any)."""
    import gradio as gr
    from fastapi import FastAPI, Form
    from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    if login.needs_password:

        @app.get("/login", response_class=HTMLResponse)
        @app.get("/login/", response_class=HTMLResponse)
        def login_form() -> HTMLResponse:
            return HTMLResponse(login_page())

        @app.post("/login")
        @app.post("/login/")
        def sign_in(
            username: str = Form(""), password: str = Form(""), next: str = Form("")
        ) -> Response:
            name = login.check(username, password)
            browser = bool(next)
            if name is None:
                log.info("login refused for %r", username[:40])
                if browser:
                    return HTMLResponse(login_page("Wrong account or password."), 401)
                return JSONResponse({"detail": "Incorrect credentials."}, status_code=401)
            try:
                token = login.issue(name)
            except Exception as exc:  # the key lives in the database: say why, in one line
                log.warning("login of %r failed: %s", name, exc)
                return JSONResponse({"detail": f"cannot sign in now: {exc}"}, status_code=503)
            response: Response = (
                RedirectResponse("./", status_code=303) if browser
                else JSONResponse({"success": True})
            )  # fmt: skip
            response.set_cookie(
                COOKIE, token, httponly=True, samesite="lax",
                max_age=int(login.settings.session_hours * 3600), path="/",
            )  # fmt: skip
            return response

        @app.get("/logout")
        def sign_out() -> Response:
            response = RedirectResponse("login", status_code=303)
            response.delete_cookie(COOKIE, path="/")
            return response

        app.add_middleware(LoginPage, login=login)

    dependency = login.account if login.mode != "none" else None
    return gr.mount_gradio_app(app, demo, path="", auth_dependency=dependency)


class LoginPage:
    """The page itself (GET /) sends a browser without a valid login cookie to the form; every
    other request passes through untouched (the API and the queue answer 401 themselves, through
    Gradio's ``auth_dependency``).

    A plain ASGI middleware, not Starlette's ``@app.middleware("http")``: that one ends a
    streamed response the app cut off as if it were complete, re-raises, and uvicorn then closes
    the connection. Gradio cuts off the event stream of a session it does not hold (GET
    .../queue/data fails with 404 once streaming), which is what a session moved off a failed
    replica may ask first. nginx took such a "complete" response's connection back as reusable
    and sent the next request on it as the replica closed it: reset, and resent to the next
    replica on the ring. A queue/join resent so made its job on one replica while the session's
    event stream stayed on its own, which sent heartbeats only: the answer never came (the client
    gave up after 60-76 s in the faults run of bench.deploy). Cut off here, the response stays
    cut off, and nginx does not reuse its connection.
    """

    def __init__(self, app: ASGIApp, login: Login) -> None:
        self.app = app
        self.login = login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            from starlette.requests import Request
            from starlette.responses import RedirectResponse

            request = Request(scope)
            if request.url.path in ("/", "") and self.login.account(request) is None:
                await RedirectResponse("login", status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Server:
    """uvicorn serving ``app`` on an already bound socket; ``close()`` stops it."""

    def __init__(self, app: Any, host: str, port: int) -> None:
        import uvicorn

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.sock.bind((host, port))
            self.sock.listen(2048)
        except OSError:
            self.sock.close()
            raise
        # A proxy in front must close its idle connections sooner than timeout_keep_alive (the
        # nginx of deploy/ does at 15 s): a request sent on a connection this side is closing
        # is reset, and the proxy resends it to another replica.
        config = uvicorn.Config(
            app, log_level="warning", timeout_keep_alive=30, ws="none", lifespan="on",
            access_log=False,
            # Open event streams (a browser's, a client's heartbeat) must not hold up a stop.
            timeout_graceful_shutdown=3,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None
        self.port = int(self.sock.getsockname()[1])

    def run(self) -> None:
        """Serve until Ctrl-C or SIGTERM."""
        self.server.run(sockets=[self.sock])

    def start(self, wait: float = 60.0) -> Server:
        """Serve in a thread; returns once the server accepts requests."""
        self.thread = threading.Thread(target=self.run, daemon=True, name="imnm-http")
        self.thread.start()
        deadline = time.monotonic() + wait
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise OSError("the web server did not start")
            time.sleep(0.02)
        return self

    def close(self) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout=15)
        self.sock.close()


def serve(demo: gr.Blocks, login: Login, host: str, port: int, block: bool = True) -> Server:
    server = Server(make_app(demo, login), host, port)
    if block:
        server.run()
        return server
    return server.start()
