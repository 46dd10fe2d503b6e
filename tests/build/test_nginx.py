"""The real nginx with the repository's configuration, as `make serve-release` runs it, serving
a deployed copy of the sample site: gzip made at deploy time, content types, the site's 404
page, cache lifetimes, security headers on every kind of answer, and rollback seen by readers.
"""

from __future__ import annotations

import gzip
import http.client
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import releasekit
import sitekit
from releasekit import Clock, Nginx, get

from deploy.releases import Destination, rollback
from deploy.server import find_nginx

HASHED_LIFETIME = "public, max-age=31536000, immutable"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


@pytest.fixture(scope="module")
def dest(tmp_path_factory: pytest.TempPathFactory, sample_site: sitekit.StaticSite) -> Path:
    """A destination whose live release is the sample site, marked `first`."""
    dest = tmp_path_factory.mktemp("nginx") / "dest"
    releasekit.deploy_copy(dest, sample_site.site_dir, "first", Clock())
    return dest


@pytest.fixture(scope="module")
def nginx(dest: Path) -> Iterator[Nginx]:
    with releasekit.serving(dest, dest.parent) as running:
        yield running


@pytest.fixture(scope="module")
def live(dest: Path) -> Path:
    return dest / "current"


@pytest.fixture
def another_release(dest: Path) -> Iterator[Callable[[Path, str], None]]:
    """Deploys a further release to the served destination; afterwards the first is live
    again and the others are gone, so each test starts from the sample site alone."""
    destination = Destination(dest)
    first = destination.live()
    clock = Clock(datetime(2030, 1, 1, tzinfo=UTC))

    def deploy(site_dir: Path, marker: str) -> None:
        releasekit.deploy_copy(dest, site_dir, marker, clock)

    yield deploy
    assert first is not None
    destination.switch(first)
    for release in destination.releases():
        if release != first:
            shutil.rmtree(release.path)


def one(live: Path, pattern: str) -> str:
    """The URL path of the first file of the live release matching `pattern`."""
    found = sorted(live.glob(pattern))
    assert found, f"no {pattern} in the release"
    return "/" + found[0].relative_to(live).as_posix()


def test_pages_come_gzipped_from_the_files_made_at_deploy_time(nginx: Nginx, live: Path) -> None:
    answer = get(nginx.url("/stories/"))

    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in answer.headers["Vary"]
    # The very bytes written at deploy time, not compressed again per request.
    assert answer.body == (live / "stories" / "index.html.gz").read_bytes()
    assert answer.text() == (live / "stories" / "index.html").read_text("utf-8")


def test_a_client_without_gzip_gets_the_plain_page(nginx: Nginx, live: Path) -> None:
    answer = get(nginx.url("/stories/"), gzip_ok=False)

    assert answer.status == 200
    assert answer.headers["Content-Encoding"] is None
    assert answer.body == (live / "stories" / "index.html").read_bytes()


def test_a_phone_gets_pages_styles_and_scripts_gzipped(phone: sitekit.Phone, nginx: Nginx) -> None:
    encodings: dict[str, str | None] = {}
    phone.page.on(
        "response",
        lambda response: encodings.__setitem__(
            response.url, response.headers.get("content-encoding")
        ),
    )
    phone.open(nginx.url("/"))

    text_files = [url for url in encodings if url.endswith(("/", ".css", ".js"))]
    assert any(url.endswith(".css") for url in text_files)
    assert any(url.endswith(".js") for url in text_files)
    assert {url: encodings[url] for url in text_files} == dict.fromkeys(text_files, "gzip")


@pytest.mark.parametrize(
    ("pattern", "content_type"),
    [
        ("troupe/schedule.ics", "text/calendar; charset=utf-8"),
        ("**/*.vtt", "text/vtt; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("assets/javascripts/bundle.*.min.js", "text/javascript; charset=utf-8"),
        ("assets/stylesheets/main.*.min.css", "text/css; charset=utf-8"),
        ("search-index/manifest.json", "application/json; charset=utf-8"),
        ("search-index/*/t0.json", "application/json; charset=utf-8"),
        ("troupe/schedule.xml", "application/xml; charset=utf-8"),
        ("media/*.webp", "image/webp"),
    ],
)
def test_content_types(nginx: Nginx, live: Path, pattern: str, content_type: str) -> None:
    answer = get(nginx.url(one(live, pattern)))

    assert answer.status == 200
    assert answer.headers["Content-Type"] == content_type


def test_feeds_are_atom(
    nginx: Nginx,
    tmp_path: Path,
    sample_site: sitekit.StaticSite,
    another_release: Callable[[Path, str], None],
) -> None:
    """Any feed.xml, wherever it is (the stories' and each activity's)."""
    site = tmp_path / "with-feed"
    shutil.copytree(sample_site.site_dir, site)
    feed = site / "stories" / "activity" / "ruhufang" / "feed.xml"
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>', "utf-8")
    another_release(site, "with-feed")

    answer = get(nginx.url("/stories/activity/ruhufang/feed.xml"))

    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8"


def test_an_unknown_path_answers_404_with_the_sites_404_page(nginx: Nginx, live: Path) -> None:
    answer = get(nginx.url("/stories/2021-01-01-no-such-story/"))

    assert answer.status == 404
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.text() == (live / "404.html").read_text("utf-8")


def test_content_hashed_files_are_kept_a_year_and_pages_are_asked_again(
    nginx: Nginx, live: Path
) -> None:
    for pattern in (
        "assets/javascripts/bundle.*.min.js",
        "assets/stylesheets/main.*.min.css",
        "media/*.jpg",
        "search-index/*/t0.json",
        "search-index/*/d0.json",
    ):
        path = one(live, pattern)
        assert get(nginx.url(path)).headers["Cache-Control"] == HASHED_LIFETIME, path
    for path in (
        "/",
        "/stories/",
        one(live, "troupe/schedule.ics"),
        "/search/",
        "/search-index/manifest.json",
    ):
        assert get(nginx.url(path)).headers["Cache-Control"] == "no-cache", path
    assert get(nginx.url("/no-such-page/")).headers["Cache-Control"] == "no-cache"


def test_our_own_hashed_names_are_recognised_without_a_list(
    nginx: Nginx, live: Path, tmp_path: Path, another_release: Callable[[Path, str], None]
) -> None:
    """A name segment of hex digits makes a file immutable; a word that is not a hash does
    not (Material's lunr language files, a story folder)."""
    site = tmp_path / "names"
    names = {
        "assets/site.3f9a2b1c.css": HASHED_LIFETIME,
        "assets/pairs-0a1b2c3d4e.js": HASHED_LIFETIME,
        "assets/lunr.stemmer.support.min.js": "no-cache",
        "assets/deadbeef.css": "no-cache",  # hex letters only: a word, not a hash
        "stories/2021-03-12-zhangzhuang/index.html": "no-cache",
    }
    for name in names:
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* */", encoding="utf-8")
    # The live release's story URLs, so the deploy does not refuse a release without them.
    (site / ".huatuopin").mkdir()
    shutil.copy(live / ".huatuopin" / "release.json", site / ".huatuopin")
    another_release(site, "names")

    assert {name: get(nginx.url(f"/{name}")).headers["Cache-Control"] for name in names} == names


@pytest.mark.parametrize(
    "path",
    ["/", "/assets/javascripts/bundle.*.min.js", "/media/*.webp", "/troupe/schedule.ics", "/x/"],
)
def test_security_headers_on_pages_assets_and_the_404(nginx: Nginx, live: Path, path: str) -> None:
    if "*" in path:
        path = one(live, path.lstrip("/"))
    headers = get(nginx.url(path)).headers

    assert [name for name in SECURITY_HEADERS if headers[name] is None] == []
    policy = dict(
        directive.partition(" ")[::2]
        for directive in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "http" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in headers["Permissions-Policy"]


def test_a_folder_without_its_slash_is_redirected_on_the_same_host(nginx: Nginx) -> None:
    parts = urllib.parse.urlsplit(nginx.url("/stories"))
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", parts.path)
    response = connection.getresponse()

    assert (response.status, response.getheader("Location")) == (301, "/stories/")


def test_deploy_then_rollback_serves_the_previous_release(
    nginx: Nginx,
    dest: Path,
    sample_site: sitekit.StaticSite,
    another_release: Callable[[Path, str], None],
) -> None:
    marker = nginx.url(f"/{releasekit.MARKER}")
    assert get(marker).text() == "first"

    another_release(sample_site.site_dir, "second")
    assert get(marker).text() == "second"

    rollback(Destination(dest))
    assert get(marker).text() == "first"
    assert get(nginx.url("/stories/")).status == 200


# -- scripts/serve-release itself ------------------------------------------------------------


def serve_release(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(sitekit.REPO_ROOT / "scripts" / "serve-release"), *args],
        env=sitekit.mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_busy_port_is_explained_in_one_line(nginx: Nginx, dest: Path) -> None:
    port = int(nginx.base_url.rsplit(":", 1)[1])
    completed = serve_release("--dest", str(dest), f"--port={port}")

    assert completed.returncode == 1
    assert completed.stderr.strip().startswith(f"端口 {port} 已被占用")
    assert "Traceback" not in completed.stderr


def test_nothing_deployed_yet_is_explained(tmp_path: Path) -> None:
    completed = serve_release("--dest", str(tmp_path / "empty"), f"--port={sitekit.free_port()}")

    assert completed.returncode == 1
    assert completed.stderr.strip() == (
        f"{tmp_path / 'empty' / 'current'} 不存在：还没有发布过；"
        f"请先 make deploy DEST={tmp_path / 'empty'}"
    )


def test_ctrl_c_stops_nginx_with_one_line_and_frees_the_port(dest: Path, tmp_path: Path) -> None:
    running = releasekit.start_nginx(dest, tmp_path)
    port = int(running.base_url.rsplit(":", 1)[1])
    running.stop()

    assert running.process.returncode == 0
    assert running.output().strip().splitlines()[-1] == "已停止 nginx。"
    left = [
        folder
        for folder in Path(tempfile.gettempdir()).glob("huatuopin-nginx-*")
        if f":{port};" in (folder / "site.conf").read_text("utf-8")
    ]
    assert left == [], "temporary folder left behind"
    deadline = time.monotonic() + 5
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx still holds the port"
                time.sleep(0.1)


def test_gzip_files_are_the_same_bytes_every_deploy(live: Path) -> None:
    page = live / "index.html.gz"
    assert page.read_bytes()[4:8] == b"\0\0\0\0"  # no timestamp in the gzip header
    assert gzip.decompress(page.read_bytes()) == (live / "index.html").read_bytes()


# -- scripts/nginx-config: the same configuration for a server ---------------------------------


def nginx_config(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(sitekit.REPO_ROOT / "scripts" / "nginx-config"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_server_configuration_with_tls_passes_nginx_t(tmp_path: Path) -> None:
    """The README's recipe: rendered for 443, the server's own TLS lines in local/, kept
    when the configuration is rendered again."""
    out = tmp_path / "etc" / "huatuopin"
    args = ("--root", "/srv/huatuopin/current", "--listen", "443 ssl http2")
    completed = nginx_config(*args, "--server-name", "www.example.cn", "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=www.example.cn", "-keyout", str(tmp_path / "key.pem")),
            *("-out", str(tmp_path / "cert.pem")),
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    (out / "local").mkdir()
    (out / "local" / "tls.conf").write_text(
        f"ssl_certificate {tmp_path}/cert.pem;\n"
        f"ssl_certificate_key {tmp_path}/key.pem;\n"
        'add_header Strict-Transport-Security "max-age=31536000" always;\n',
        "utf-8",
    )
    assert nginx_config(*args, "--out", str(out)).returncode == 0  # rendered again
    main = tmp_path / "nginx.conf"
    main.write_text(
        f'pid "{tmp_path}/nginx.pid";\nevents {{}}\nhttp {{ include "{out}/site.conf"; }}\n',
        "utf-8",
    )

    tested = subprocess.run(
        [find_nginx(), "-T", "-p", f"{tmp_path}/", "-e", "stderr", "-c", str(main)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert tested.returncode == 0, tested.stderr
    assert "listen 443 ssl http2;" in tested.stdout
    assert 'root "/srv/huatuopin/current";' in tested.stdout
    assert "Strict-Transport-Security" in tested.stdout


def test_a_folder_nginx_cannot_take_is_refused_in_chinese(tmp_path: Path) -> None:
    completed = nginx_config("--root", "/srv/$site/current", "--out", str(tmp_path / "out"))

    assert completed.returncode == 1
    assert completed.stderr.strip().startswith(
        "路径 /srv/$site/current 含有 nginx 配置里不能用的字符"
    )
