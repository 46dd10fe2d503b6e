"""Running the desk on a server: the nginx snippet for /d/, included in the site's own
configuration and run by the real nginx in front of a stand-in desk, and the systemd unit."""

from __future__ import annotations

import contextlib
import http.client
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sitekit

from deploy.server import find_nginx, render_foreground

SNIPPET = sitekit.REPO_ROOT / "deploy" / "nginx" / "desk-proxy.conf.example"
UNIT = sitekit.REPO_ROOT / "deploy" / "huatuopin-desk.service"
DESK_ADDRESS = "127.0.0.1:8010"
DESK_CSP = "default-src 'self'; frame-ancestors 'none'"
START_TIMEOUT_SECONDS = 20


@dataclass
class StandInDesk:
    """Answers every request as the desk would, noting the headers nginx passed on."""

    port: int
    seen: list[dict[str, str]] = field(default_factory=list)


@contextlib.contextmanager
def stand_in_desk() -> Iterator[StandInDesk]:
    desk = StandInDesk(0)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            desk.seen.append({"path": self.path, **dict(self.headers.items())})
            body = "投稿台".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", DESK_CSP)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    desk.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield desk
    finally:
        server.shutdown()
        server.server_close()


def site_with_desk(tmp_path: Path, desk_port: int) -> tuple[Path, int]:
    """The site's nginx configuration for a tiny site, with the snippet in local/ as the
    README says, pointed at `desk_port`; (nginx.conf, port)."""
    root = tmp_path / "current"
    root.mkdir()
    (root / "index.html").write_text("<p>网站首页</p>", "utf-8")
    (root / "404.html").write_text("<p>找不到</p>", "utf-8")
    port = sitekit.free_port()
    run_dir = tmp_path / "run"
    config = render_foreground(root, port, run_dir)
    (run_dir / "local").mkdir()
    snippet = SNIPPET.read_text("utf-8")
    assert DESK_ADDRESS in snippet
    (run_dir / "local" / "desk.conf").write_text(
        snippet.replace(DESK_ADDRESS, f"127.0.0.1:{desk_port}"), "utf-8"
    )
    return config, port


def nginx_command(config: Path, *args: str) -> list[str]:
    run_dir = config.parent.resolve()
    return [find_nginx(), *args, "-p", f"{run_dir}/", "-e", "stderr", "-c", str(config.resolve())]


@pytest.fixture
def nginx_with_desk(tmp_path: Path) -> Iterator[tuple[int, StandInDesk]]:
    with stand_in_desk() as desk:
        config, port = site_with_desk(tmp_path, desk.port)
        tested = subprocess.run(
            nginx_command(config, "-t"), capture_output=True, text=True, timeout=60, check=False
        )
        assert tested.returncode == 0, tested.stderr
        process = subprocess.Popen(
            nginx_command(config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while True:
                with contextlib.suppress(OSError):
                    request("GET", port, "/")
                    break
                assert process.poll() is None, process.stderr and process.stderr.read()
                assert time.monotonic() < deadline, "nginx did not answer"
                time.sleep(0.1)
            yield port, desk
        finally:
            process.terminate()
            process.wait(timeout=15)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    text: str


def request(method: str, port: int, path: str, headers: dict[str, str] | None = None) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read().decode("utf-8"))
    finally:
        connection.close()


def test_the_desks_pages_reach_the_desk_and_the_site_stays_the_site(
    nginx_with_desk: tuple[int, StandInDesk],
) -> None:
    port, desk = nginx_with_desk

    # URLs ending in / are the site's pages everywhere else: not under /d/.
    for path in ("/d/abc123/", "/d/abc123/s/s-1/preview/stories/x/", "/d/abc123/s/s-1/submit"):
        reply = request("GET", port, path)
        assert (reply.status, reply.text) == (200, "投稿台"), path
    assert [seen["path"] for seen in desk.seen][-3:] == [
        "/d/abc123/",
        "/d/abc123/s/s-1/preview/stories/x/",
        "/d/abc123/s/s-1/submit",
    ]
    assert request("GET", port, "/").text == "<p>网站首页</p>"


def test_the_desk_sees_the_clients_address_and_not_one_the_client_made_up(
    nginx_with_desk: tuple[int, StandInDesk],
) -> None:
    port, desk = nginx_with_desk

    request("GET", port, "/d/wrong-token/", headers={"X-Forwarded-For": "203.0.113.9"})

    assert desk.seen[-1]["X-Forwarded-For"] == "127.0.0.1"
    assert desk.seen[-1]["X-Forwarded-Proto"] == "http"


def test_the_desks_own_headers_are_not_doubled_by_the_sites(
    nginx_with_desk: tuple[int, StandInDesk],
) -> None:
    port, _ = nginx_with_desk

    reply = request("GET", port, "/d/abc123/")

    assert reply.headers.get_all("Content-Security-Policy") == [DESK_CSP]
    assert reply.headers.get_all("Cache-Control") == ["no-store"]
    assert reply.headers["X-Robots-Tag"] == "noindex, nofollow"


def test_an_upload_over_the_ceiling_is_refused_by_nginx_in_chinese(
    nginx_with_desk: tuple[int, StandInDesk],
) -> None:
    port, desk = nginx_with_desk
    before = len(desk.seen)

    reply = request(
        "POST",
        port,
        "/d/abc123/s/s-1/",
        headers={"Content-Length": str(2 * 1024**3), "Content-Type": "multipart/form-data"},
    )

    assert reply.status == 413
    assert reply.text.startswith("一次上传的内容超过 1 GB")
    assert reply.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert len(desk.seen) == before


def test_the_systemd_unit_runs_the_desk_where_nginx_expects_it(tmp_path: Path) -> None:
    unit = UNIT.read_text("utf-8")
    port = DESK_ADDRESS.rsplit(":", 1)[1]

    assert f"ExecStart=/srv/huatuopin-src/.venv/bin/python scripts/desk serve --port {port}" in unit
    assert "Environment=HUATUOPIN_DESK_DIR=/var/lib/huatuopin-desk" in unit
    assert "StateDirectory=huatuopin-desk" in unit
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        sitekit.absent("systemd-analyze is not installed (Debian package systemd)")
    # Pointed at this checkout, so the only thing left to judge is the unit itself.
    local = tmp_path / "huatuopin-desk.service"
    local.write_text(
        unit.replace("/srv/huatuopin-src/.venv/bin/python", sys.executable).replace(
            "/srv/huatuopin-src", str(sitekit.REPO_ROOT)
        ),
        "utf-8",
    )
    verified = subprocess.run(
        [analyze, "verify", str(local)], capture_output=True, text=True, timeout=60, check=False
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == ""
