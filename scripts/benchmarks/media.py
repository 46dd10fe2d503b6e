"""Media benchmark: the photo pipeline against a naive one, and what a phone downloads.

1. Pipeline: N generated 4000×3000 camera-like JPEGs (texture, EXIF orientation 6 and GPS,
   as phones write them) through our pipeline as the build runs it (probe, hash, variants in
   worker processes), cold (empty cache) and warm (same cache), against a naive pipeline run
   in this process: full decode, rotate, resize each width from the full image, save.
   Checks: cold at least 1.5× the naive images/s; warm encodes zero files and reads no source.
2. Phone: a site with one story of three pairs (six of those photos) built with the project's
   hooks, served by nginx with gzip on, opened in Chromium at 390×844, device pixel ratio 2.
   Everything the page downloads before the reader scrolls is summed (text at its gzip size,
   as nginx sends it). Checks: at most 500 KB; the photos are variants no wider than 960 px.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit

import _project
from huatuopin.media.cache import CACHE_DIR, CACHE_ENV, MediaCache
from huatuopin.media.check import cache_for, probe_reference
from huatuopin.media.images import DEFAULT_PIPELINE
from huatuopin.media.pipeline import publish_media
from huatuopin.media.records import MediaRef, StoryMedia
from huatuopin.media.settings import MediaSettings
from huatuopin.troupe.models import Troupe
from phonebrowser import PHONE, launch_options
from PIL import Image, ImageChops, ImageDraw, ImageOps

DESCRIPTION = "media: photo pipeline cold/warm vs naive, and a phone's bytes for a 3-pair story"

SEED = 2021
DEFAULT_IMAGES = 50
PHOTO_SIZE = (4000, 3000)
COLD_RATIO_MIN = 1.5
PHONE_BUDGET = 500 * 1024  # bytes: 500 KB
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "xml")
STORY_FOLDER = "2021-03-12-zhangzhuang-sanzu"


# -- generated camera photos -----------------------------------------------------------------


def camera_photo(seed: int, size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """A JPEG like a phone's: textured scene, stored sideways with orientation 6, GPS EXIF."""
    rng = random.Random(seed)
    width, height = size
    small = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(small)
    sky = (rng.randint(60, 140), rng.randint(120, 180), rng.randint(190, 250))
    for y in range(300):
        k = y / 300
        if y < 130:
            color = tuple(int(a + (240 - a) * k * 2) for a in sky)
        else:
            color = (int(110 + 40 * k), int(100 + 40 * k), int(60 + 30 * k))
        draw.line([(0, y), (400, y)], fill=color)
    for _ in range(25):
        x, y = rng.randint(0, 400), rng.randint(100, 280)
        w, h = rng.randint(20, 90), rng.randint(15, 60)
        fill = (rng.randint(60, 240), rng.randint(60, 240), rng.randint(60, 240))
        shape = draw.rectangle if rng.random() < 0.6 else draw.ellipse
        shape([x, y - h, x + w, y], fill=fill)
    base = small.resize(size, Image.Resampling.BICUBIC)
    texture = Image.new("L", size, 128)
    for scale, amount in ((4, 0.5), (16, 0.35), (64, 0.25)):
        # Grain at three scales, from seeded bytes (repeatable, unlike Image.effect_noise);
        # uniform noise squeezed to the spread of a Gaussian with sigma 60.
        cells = (width // scale, height // scale)
        noise = Image.frombytes("L", cells, rng.randbytes(cells[0] * cells[1]))
        noise = noise.point(lambda v: int(128 + (v - 128) * 0.81))
        texture = Image.blend(texture, noise.resize(size, Image.Resampling.BICUBIC), amount)
    photo = ImageChops.overlay(base, Image.merge("RGB", (texture, texture, texture)))
    stored = photo.transpose(Image.Transpose.ROTATE_90)  # the sensor's way round
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "BenchCam"
    exif.get_ifd(0x8825).update({1: "N", 2: (34.0, 45.0, 1.5), 3: "E", 4: (113.0, 39.0, 8.2)})
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def generate_photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"photo-{index:03d}.jpg"
        if not path.is_file():
            path.write_bytes(camera_photo(SEED + index))
        paths.append(path)
    return paths


# -- the two pipelines -------------------------------------------------------------------------


def naive_pipeline(paths: list[Path], out: Path) -> None:
    """What one would write first: full decode, rotate, each width from the full image."""
    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        for width in DEFAULT_PIPELINE.widths_for(image.width):
            height = round(image.height * width / image.width)
            variant = image.resize((width, height), Image.Resampling.LANCZOS)
            variant.save(out / f"{path.stem}-{width}.webp", "WEBP", quality=72, method=4)
            variant.save(
                out / f"{path.stem}-{width}.jpg",
                "JPEG",
                quality=78,
                optimize=True,
                progressive=True,
            )


@dataclass
class PipelineRun:
    seconds: float
    read: int
    encoded: int
    reused: int
    problems: list[str]


def our_pipeline(paths: list[Path], project_root: Path) -> PipelineRun:
    """Probe, hash and make every variant, as `mkdocs build` does (cache in project_root)."""
    settings = MediaSettings()
    # Cold must mean empty: this project's own cache, whatever the environment shares.
    with patch.dict(os.environ, {CACHE_ENV: str(project_root / CACHE_DIR)}):
        return _our_pipeline(paths, project_root, settings)


def _our_pipeline(paths: list[Path], project_root: Path, settings: MediaSettings) -> PipelineRun:
    cache: MediaCache = cache_for(project_root, settings)
    started = time.perf_counter()
    refs = []
    problems = []
    for path in paths:
        ref, message = probe_reference(
            MediaRef("pairs[0].before", 1, "image", path.name, path), cache, settings
        )
        refs.append(ref)
        if message is not None:
            problems.append(f"{ref.name}: {message}")
    read = cache.stats.read
    story = SimpleNamespace(media=StoryMedia(tuple(refs)), source_path="bench")
    catalog = SimpleNamespace(stories=[story], troupe=Troupe())  # no member photos
    stats = cache.stats
    publication = publish_media(catalog, project_root, settings)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    problems += [str(p) for failed in publication.failures.values() for p in failed]
    return PipelineRun(seconds, read, stats.encoded, stats.reused, problems)


# -- the phone's download ------------------------------------------------------------------------


def story_markdown(photos: list[Path]) -> str:
    themes = ("住房", "道路", "饮水")
    pairs = "".join(
        f"  - before: {photos[2 * i].name}\n"
        f"    after: {photos[2 * i + 1].name}\n"
        "    before_year: 2015\n"
        "    after_year: 2021\n"
        f"    theme: {theme}\n"
        f"    caption: 第 {i + 1} 组：同一个地方，五年前后\n"
        for i, theme in enumerate(themes)
    )
    paragraph = "村里的变化，要从那条路说起。" * 12
    body = "\n\n".join(f"## 第 {n} 段\n\n{paragraph}" for n in range(1, 6))
    return (
        "---\n"
        "title: 张庄三组今昔对比\n"
        "date: 2021-03-12\n"
        "activity: 回村看\n"
        "city: 开封市\n"
        "county: 兰考县\n"
        "village: 张庄村\n"
        "form: 摄影\n"
        "authors:\n"
        "  - name: 王小红\n"
        "    role: 媒体记者\n"
        "summary: 三组照片，看张庄五年的变化。\n"
        f"pairs:\n{pairs}"
        "consent: true\n"
        "---\n\n"
        f"{body}\n"
    )


def build_phone_site(root: Path, photos: list[Path]) -> Path:
    """A copy of the project's machinery with one story of three pairs, built strictly."""
    project = root / "project"
    if project.exists():
        shutil.rmtree(project)
    (project / "docs").mkdir(parents=True)
    shutil.copy2(_project.ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy2(_project.ROOT / "docs" / "index.md", project / "docs" / "index.md")
    for folder in ("overrides", "hooks", "docs/assets"):
        shutil.copytree(
            _project.ROOT / folder,
            project / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    story = project / "docs" / "stories" / STORY_FOLDER
    story.mkdir(parents=True)
    for photo in photos:
        shutil.copy2(photo, story / photo.name)
    (story / "index.md").write_text(story_markdown(photos), encoding="utf-8")
    site = project / "site"
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{completed.stdout}{completed.stderr}")
    return site


NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    gzip on;
    gzip_comp_level 6;
    gzip_min_length 256;
    gzip_types text/css text/plain text/xml application/javascript application/json
               application/xml image/svg+xml;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Nginx:
    """nginx serving `site` with gzip, in the foreground, from its own prefix folder."""

    def __init__(self, site: Path, prefix: Path) -> None:
        self.port = free_port()
        for name in ("tmp", "logs"):
            (prefix / name).mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(prefix=prefix, port=self.port, site=site), "utf-8")
        self.prefix = prefix
        self.process = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                log = (prefix / "error.log").read_text() if (prefix / "error.log").exists() else ""
                raise RuntimeError(f"nginx exited: {error}{log}")
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
                return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("nginx did not start within 15 s")
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@dataclass
class Download:
    url: str
    kind: str
    bytes: int
    text: bool


def phone_download(url: str, site: Path) -> tuple[list[Download], list[str]]:
    """What Chromium at 390×844, DPR 2 fetches for `url` without scrolling; and the photos'
    chosen sources (currentSrc). A size Chromium does not report (a worker's script) is
    taken from the file in `site`, gzipped as nginx would."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options())
        try:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            finished: list[Any] = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # the search worker and late lazy images
            sources = page.evaluate(
                "() => [...document.querySelectorAll('.hp-pair img')]"
                ".filter(i => i.complete && i.currentSrc).map(i => i.currentSrc)"
            )
            downloads = []
            for request in finished:
                response = request.response()
                if response is None:
                    continue
                kind = response.headers.get("content-type", "")
                size = request.sizes()["responseBodySize"]
                text = kind.startswith(TEXT_TYPES) or any(t in kind for t in TEXT_TYPES)
                if size <= 0:
                    size = _file_size(site, request.url, gzipped=text)
                downloads.append(Download(request.url, kind.split(";")[0], size, text))
            context.close()
        finally:
            browser.close()
    return downloads, sources


def _file_size(site: Path, url: str, *, gzipped: bool) -> int:
    path = site / urlsplit(url).path.lstrip("/")
    if path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return 0
    data = path.read_bytes()
    return len(gzip.compress(data, compresslevel=6)) if gzipped else len(data)


# -- the run -------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--images", type=int, default=DEFAULT_IMAGES, help="generated photos (default 50)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="work in this folder and keep it (generated photos are reused on the next run)",
    )
    parser.add_argument("--no-phone", action="store_true", help="skip the browser measurement")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def run(args: argparse.Namespace) -> int:
    print(
        f"Media benchmark: {args.images} generated {PHOTO_SIZE[0]}×{PHOTO_SIZE[1]} JPEGs, "
        f"{os.cpu_count()} CPUs, Pillow {Image.__version__}"
    )
    workspace = (
        nullcontext(str(args.keep.resolve()))
        if args.keep
        else tempfile.TemporaryDirectory(prefix="bench-media-")
    )
    checks: list[Check] = []
    with workspace as work:
        root = Path(work)
        if args.keep:
            root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        photos = generate_photos(root / "photos", args.images)
        total_mb = sum(p.stat().st_size for p in photos) / 1024 / 1024
        print(f"  inputs: {total_mb:.0f} MB ({time.perf_counter() - started:.1f} s to generate)")

        naive_out = root / "naive"
        shutil.rmtree(naive_out, ignore_errors=True)
        started = time.perf_counter()
        naive_pipeline(photos, naive_out)
        naive = time.perf_counter() - started

        project = root / "pipeline"
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir()
        cold = our_pipeline(photos, project)
        warm = our_pipeline(photos, project)

        n = len(photos)
        rows = [
            ("naive (1 process, full decode)", naive, n, n),
            ("ours, cold cache", cold.seconds, cold.read, cold.encoded),
            ("ours, warm cache", warm.seconds, warm.read, warm.encoded),
        ]
        print(f"\n  {'pipeline':34} {'seconds':>8} {'images/s':>9} {'read':>5} {'encoded':>8}")
        for name, seconds, read, encoded in rows:
            print(f"  {name:34} {seconds:8.2f} {n / seconds:9.1f} {read:5d} {encoded:8d}")
        ratio = naive / cold.seconds
        print(
            f"\n  cold vs naive: {ratio:.2f}× faster; "
            f"warm vs cold: {cold.seconds / warm.seconds:.0f}×"
        )
        checks.append(
            Check("cold ≥ 1.5× naive", ratio >= COLD_RATIO_MIN, f"{ratio:.2f}× ({n} images)")
        )
        checks.append(
            Check(
                "warm encodes nothing, reads no source",
                warm.encoded == 0 and warm.read == 0 and not warm.problems,
                f"encoded {warm.encoded}, read {warm.read}, reused {warm.reused}",
            )
        )
        if cold.problems:
            checks.append(Check("no problems", False, "; ".join(cold.problems[:3])))

        if not args.no_phone:
            checks += phone_checks(root, photos[:6])

    print("\n  checks:")
    for check in checks:
        print(f"    {'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    return 0 if all(check.ok for check in checks) else 1


def phone_checks(root: Path, photos: list[Path]) -> list[Check]:
    print("\n  phone: a story with three pairs, 390×844 DPR 2, nginx gzip, before scrolling")
    site = build_phone_site(root, photos)
    server = Nginx(site, root / "nginx")
    try:
        downloads, sources = phone_download(f"{server.url}/stories/{STORY_FOLDER}/", site)
    finally:
        server.stop()
    total = sum(d.bytes for d in downloads)
    by_kind: dict[str, int] = {}
    for item in downloads:
        group = "images" if item.kind.startswith("image/") else item.kind
        by_kind[group] = by_kind.get(group, 0) + item.bytes
    for item in sorted(downloads, key=lambda d: -d.bytes):
        name = item.url.split("/", 3)[-1]
        note = "gzip" if item.text else ""
        print(f"    {item.bytes / 1024:7.1f} KB  {note:4}  {name}")
    print(
        f"    {total / 1024:7.1f} KB  total ({len(downloads)} requests; "
        + ", ".join(f"{k} {v / 1024:.0f} KB" for k, v in sorted(by_kind.items()))
        + ")"
    )
    widths = sorted({int(s.rsplit("-", 1)[-1].split(".")[0]) for s in sources})
    return [
        Check("phone bytes ≤ 500 KB", total <= PHONE_BUDGET, f"{total / 1024:.0f} KB"),
        Check(
            "photos ≤ 960 px wide at DPR 2",
            bool(widths) and max(widths) <= 960,
            f"{len(sources)} photos loaded, widths {widths}",
        ),
    ]
