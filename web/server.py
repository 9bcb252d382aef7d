"""The one process: FastAPI with the REST API, the Gradio page mounted at "/", served by uvicorn."""

from __future__ import annotations

import socket

import gradio as gr
import uvicorn
from fastapi import FastAPI

from web.api import create_api
from web.service import MAX_UPLOAD_BYTES, PolicyService
from web.ui import CSS, JS, THEME, build_ui


class PortInUseError(OSError):
    """The port is taken by another program."""


def create_app(service: PolicyService) -> FastAPI:
    """The API routes first, then the page at "/" (so /api/* and /openapi.json stay the API's)."""
    api = create_api(service)
    return gr.mount_gradio_app(
        api,
        build_ui(service),
        path="/",
        theme=THEME,
        css=CSS,
        js=JS,
        ssr_mode=False,  # no Node server; the page is the static bundle shipped with gradio
        mcp_server=False,
        footer_links=[],
        max_file_size=MAX_UPLOAD_BYTES,  # the 文件库 upload's limit, enforced by Gradio's upload route too
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; ``PortInUseError`` when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP; without it,
    # every response on a kept-alive connection waited ~40 ms (Nagle against delayed ACK; measured).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does; a listener still blocks it
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as err:
        sock.close()
        raise PortInUseError(err.errno, f"{host}:{port} ({err.strerror})") from None
    sock.set_inheritable(True)
    return sock


def serve(app: FastAPI, sock: socket.socket) -> None:
    # A page left open keeps a Gradio event stream (heartbeats) that would hold a graceful stop for ~15 s.
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2)
    uvicorn.Server(config).run(sockets=[sock])
