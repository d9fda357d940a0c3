"""`xaso serve`: the production server (gunicorn + WhiteNoise) from a fresh data directory."""

import gzip
import http.client
import os
import queue
import re
import secrets
import signal
import subprocess
import sys
import threading

import pytest


def xaso(*args: str) -> list[str]:
    return [sys.executable, "-m", "xaso.cli", *args]


@pytest.fixture
def server(tmp_path):
    """`xaso init` then `xaso serve` on a free port (gunicorn binds port 0 and says which)."""
    env = {
        "PATH": os.environ["PATH"],
        "XASO_DATA_DIR": str(tmp_path / "var"),
        "XASO_SECRET_KEY": secrets.token_urlsafe(50),
        "XASO_ALLOWED_HOSTS": "127.0.0.1",
        "HOME": str(tmp_path),
    }
    subprocess.run(xaso("init"), env=env, check=True, capture_output=True, timeout=120)  # noqa: S603
    process = subprocess.Popen(  # noqa: S603
        xaso("serve", "--bind", "127.0.0.1:0", "--workers", "2"),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in process.stderr], daemon=True
    ).start()
    try:
        port = None
        while port is None:
            line = lines.get(timeout=60)  # a guard against a hang, not a measurement
            found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
            port = int(found.group(1)) if found else None
        yield port, tmp_path / "var"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert process.returncode == 0


def get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def test_the_production_server_serves_pages_and_collected_static_files(server):
    port, data_dir = server

    status, headers, body = get(port, "/login/")
    assert status == 200
    assert "<h1>Đăng nhập</h1>" in body.decode()
    assert headers["Server"] == "gunicorn"

    status, headers, css = get(port, "/static/web/xaso.css")
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert css == (data_dir / "static" / "web" / "xaso.css").read_bytes()

    status, headers, packed = get(port, "/static/web/xaso.css", **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")
    assert gzip.decompress(packed) == css

    assert get(port, "/units/?q=%00")[0] == 400  # before the login page, even
    assert get(port, "/units/?q=hl")[0] == 302


def test_the_production_server_bounds_a_chunked_body(server):
    port, _ = server
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    chunk = b"a" * 65536
    connection.putrequest("POST", "/login/")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.endheaders()
    try:
        for _ in range(7 * 16):  # 7 MB, over the 6 MB limit
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may stop reading once it has answered
    response = connection.getresponse()

    assert response.status == 413
    assert response.read().decode().startswith("Dữ liệu gửi lên quá lớn (tối đa 6 MB).")
