"""`xaso serve`: gunicorn in production, Django's development server with --dev."""

import errno
import os
import sys

from xaso.cli.common import CommandError, setup_django
from xaso.env import env_bool, env_int, env_str


def cmd_serve(args) -> int:
    if args.dev:
        setup_django()
        host, _, port = args.bind.rpartition(":")
        return dev_server(host or "127.0.0.1", int(port))
    # A killed request must not leave its query running: statements get the request's time.
    os.environ.setdefault("XASO_DB_STATEMENT_TIMEOUT", str(args.timeout))
    # Served from the collected, compressed copies, not looked up in the apps.
    os.environ.setdefault("XASO_STATIC_FINDERS", "0")
    setup_django()
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    warning = _connection_budget_warning(args.workers * args.threads)
    connections.close_all()  # nothing opened here is shared with the workers
    if warning:
        print(warning, file=sys.stderr)
    return _gunicorn(args)


def dev_server(host: str, port: int, notes: list[str] | tuple[str, ...] = ()) -> int:
    """Django's development server in this process (Django set up already), with our banner.

    Django's `runserver` prints its own banner in English; this runs the same server
    (`django.core.servers.basehttp.run`, threaded, no reloader) and says in Vietnamese where it
    listens, `notes` (the demo login), and how to stop it. Port 0 takes a free port: the banner
    says which.
    """
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import get_internal_wsgi_application, run
    from django.db import connections

    _warn_unapplied_migrations()
    connections.close_all()  # each request thread opens its own
    handler = get_internal_wsgi_application()
    if settings.DEBUG:  # as runserver does; otherwise WhiteNoise serves static files
        handler = StaticFilesHandler(handler)
    ipv6 = ":" in host
    shown = f"[{host}]" if ipv6 else host

    def banner(bound_port: int) -> None:
        print(f"xaso đang chạy: http://{shown}:{bound_port}/", flush=True)
        for line in notes:
            print(line, flush=True)
        print(
            "Máy chủ thử nghiệm, chỉ để dùng thử trên máy này; "
            "triển khai thật: xaso serve (docs/deploy.md).",
            flush=True,
        )
        print("Dừng máy chủ: nhấn Ctrl+C.\n", flush=True)

    try:
        run(host, port, handler, ipv6=ipv6, threading=True, on_bind=banner)
    except OSError as error:
        reason = DEV_SERVER_ERRORS.get(error.errno, str(error))
        raise CommandError(f"Không mở được máy chủ tại {host}:{port}: {reason}.") from None
    except KeyboardInterrupt:
        print("\nĐã dừng máy chủ.", flush=True)
    return 0


DEV_SERVER_ERRORS = {
    errno.EACCES: "không có quyền dùng cổng này",
    errno.EADDRINUSE: "cổng đang được dùng, chọn cổng khác (--port hoặc --bind)",
    errno.EADDRNOTAVAIL: "địa chỉ này không thuộc máy này",
}


def _warn_unapplied_migrations() -> None:
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        print(
            f"Cảnh báo: cơ sở dữ liệu còn {len(plan)} bước cập nhật cấu trúc chưa chạy; "
            "chạy xaso init trước.",
            file=sys.stderr,
        )


def _gunicorn(args) -> int:
    """gunicorn in this process: the arbiter forks the workers that serve xaso.wsgi."""
    from gunicorn.app.base import BaseApplication

    options = {
        "bind": args.bind,
        "workers": args.workers,
        "threads": args.threads,
        # One thread per worker: a request stuck longer than the timeout stops the worker's
        # heartbeat and the arbiter kills it. Threads keep the heartbeat going (docs/deploy.md).
        "worker_class": "gthread" if args.threads > 1 else "sync",
        "timeout": args.timeout,
        "graceful_timeout": args.graceful_timeout,
        "max_requests": args.max_requests,
        "max_requests_jitter": max(args.max_requests // 10, 0),
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
        "proc_name": "xaso",
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:  # gunicorn 25.1+: systemd
                self.cfg.set("control_socket_disable", True)  # controls the server instead

        def load(self):
            from xaso.wsgi import application

            return application

    Server().run()
    return 0


def _connection_budget_warning(needed: int) -> str | None:
    """On PostgreSQL, a warning when the workers' connections may not fit the server's."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int,"
            " current_setting('superuser_reserved_connections')::int"
        )
        allowed, reserved = cursor.fetchone()
    spare = allowed - reserved - needed
    if spare >= 10:  # room for the CLI, backups and the task worker
        return None
    return (
        f"Cảnh báo: {needed} kết nối (số tiến trình × số luồng) gần hết giới hạn của PostgreSQL "
        f"(max_connections {allowed}, dành riêng {reserved}). Giảm XASO_WORKERS/XASO_THREADS "
        "hoặc tăng max_connections (docs/deploy.md)."
    )


def add_serve(sub) -> None:
    serve = sub.add_parser(
        "serve",
        help="serve the web application with gunicorn (--dev: Django's development server)",
        description="Serve xaso in production: gunicorn workers behind a reverse proxy, static "
        "files collected into XASO_STATIC_ROOT and served by WhiteNoise. Each flag's default "
        "comes from the environment variable named in its help (docs/deploy.md).",
    )
    serve.add_argument("--dev", action="store_true", help="Django's development server instead")
    serve.add_argument(
        "--bind", default=env_str("XASO_BIND", "127.0.0.1:8000"), help="XASO_BIND (127.0.0.1:8000)"
    )
    cpus = os.cpu_count() or 1
    for flag, var, default, text in [
        ("--workers", "XASO_WORKERS", min(2 * cpus + 1, 12), "processes; 2 × CPUs + 1, at most 12"),
        ("--threads", "XASO_THREADS", 1, "threads per process; 1 lets --timeout kill a request"),
        ("--timeout", "XASO_TIMEOUT", 60, "seconds before a stuck request's worker is killed"),
        ("--graceful-timeout", "XASO_GRACEFUL_TIMEOUT", 30, "seconds to finish on restart"),
        ("--max-requests", "XASO_MAX_REQUESTS", 1000, "requests before a worker is renewed"),
    ]:
        serve.add_argument(
            flag, type=int, default=env_int(var, default), help=f"{var} ({default}): {text}"
        )
    serve.add_argument(
        "--no-access-log",
        dest="access_log",
        action="store_false",
        default=env_bool("XASO_ACCESS_LOG", default=True),
        help="XASO_ACCESS_LOG (1): one line per request on standard output",
    )
    serve.set_defaults(func=cmd_serve)
