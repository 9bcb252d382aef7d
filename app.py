"""科技金融政策问答助手 — the web app: `python app.py [--host 127.0.0.1] [--port 7860] [--workers N]`.

Serves the page (智能问答, 条款查询, 补贴测算, 政策匹配, 文件库) at "/" and the REST API under /api on one port,
in this process or, with ``--workers N``, in N worker processes sharing the port (web/workers.py).
"""

from __future__ import annotations

import argparse
import errno
import os
import sys

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported: no calls home

from assistant import PolicyAssistantError
from web.server import PortInUseError, bind, create_app, serve
from web.service import PolicyService


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为整数，收到 {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在 1–65535 之间（0 为任选一个空闲端口），收到 {port}")
    return port


def _workers(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"工作进程数应为整数，收到 {text!r}") from None
    if not 1 <= count <= 64:
        raise argparse.ArgumentTypeError(f"工作进程数应在 1–64 之间，收到 {count}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="科技金融政策问答助手（网页与 REST API，同一端口）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=_port, default=7860, help="端口（默认 7860；0 为任选一个空闲端口）")
    parser.add_argument(
        "--workers", type=_workers, default=1, help="工作进程数（默认 1；多个进程共用端口，先构建一次索引）"
    )
    args = parser.parse_args(argv)
    try:
        sock = bind(args.host, args.port)  # first, so a taken port fails fast and nobody takes it meanwhile
    except PortInUseError as err:
        taken = err.errno == errno.EADDRINUSE
        reason = "已被其他程序占用" if taken else f"无法监听（{err.strerror}）"
        print(
            f"错误：端口 {args.port}（{args.host}）{reason}，未启动。\n"
            f"请关闭占用该端口的程序，或换一个端口：python app.py --port {args.port + 1}",
            file=sys.stderr,
        )
        return 1
    shown = f"[{args.host}]" if ":" in args.host else args.host
    port = sock.getsockname()[1]  # the one the system picked for --port 0; web/process.py reads this line

    def announce() -> None:
        workers = f"，{args.workers} 个工作进程" if args.workers > 1 else ""
        api = f"API：/api/health，接口说明：/openapi.json{workers}"
        print(f"科技金融政策问答助手已启动：http://{shown}:{port}/  （{api}）", flush=True)

    print("正在加载检索索引和测算规则……", file=sys.stderr, flush=True)
    if args.workers > 1:
        from web.workers import serve_workers

        return serve_workers(sock, args.workers, announce)
    try:
        service = PolicyService.load()
    except PolicyAssistantError as err:
        sock.close()
        print(f"错误：无法加载政策库：{err}", file=sys.stderr)
        return 1
    app = create_app(service)
    announce()
    serve(app, sock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
