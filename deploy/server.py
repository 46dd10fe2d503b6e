"""The repository's nginx configuration (deploy/nginx/), rendered for a server or for
`make serve-release`, and nginx run in the foreground with it."""

from __future__ import annotations

import ctypes
import errno
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from huatuopin import urls

TEMPLATES = Path(__file__).resolve().parent / "nginx"
SITE_CONF = "site.conf"
MAIN_CONF = "nginx.conf"
# Copied as they are; site.conf and nginx.conf are filled in from their `.in` templates.
PLAIN_FILES = ("security-headers.conf", "types.conf")
PLACEHOLDER = re.compile(r"@[A-Z_]+@")
# Inside nginx's double quotes `$` still starts a variable, and these end a string or line.
UNSAFE_IN_QUOTES = re.compile(r'["\\$\n\r;{}]')
NGINX_CANDIDATES = ("/usr/sbin/nginx",)
HOST = "127.0.0.1"
STOP_TIMEOUT_SECONDS = 10
PR_SET_PDEATHSIG = 1


class ServerError(Exception):
    """Why nginx could not be set up or started, in one Chinese sentence."""


@dataclass(frozen=True)
class SiteConfig:
    """What differs between servers: the folder served and the address listened on."""

    root: Path
    listen: str  # e.g. `80`, `127.0.0.1:8080`, `443 ssl http2`
    server_name: str = "localhost"


def fill(template: str, values: dict[str, str]) -> str:
    text = template
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    left = PLACEHOLDER.findall(text)
    assert not left, f"placeholders without a value: {left}"
    return text


def quoted_path(path: Path) -> str:
    """`path` as it goes between nginx's double quotes; refused when it cannot."""
    text = str(path)
    if UNSAFE_IN_QUOTES.search(text):
        raise ServerError(
            f'路径 {text} 含有 nginx 配置里不能用的字符（" \\ $ ; {{ }} 或换行）；请换一个路径。'
        )
    return text


def render_site(site: SiteConfig, out_dir: Path) -> Path:
    """Write site.conf and the files it includes into `out_dir`; the path of site.conf."""
    if not re.fullmatch(r"[0-9A-Za-z.:\[\]][0-9A-Za-z.:\[\] ]*", site.listen):
        raise ServerError(
            f"“{site.listen}”不是 nginx 的监听地址；请写端口（80）、地址:端口或“443 ssl http2”。"
        )
    if not re.fullmatch(r"[0-9A-Za-z._*-]+", site.server_name):
        raise ServerError(f"“{site.server_name}”不是域名；请写成 www.example.cn 这样。")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in PLAIN_FILES:
        shutil.copyfile(TEMPLATES / name, out_dir / name)
    values = {
        "LISTEN": site.listen,
        "SERVER_NAME": site.server_name,
        "ROOT": quoted_path(site.root),
        "CONF": quoted_path(out_dir.resolve()),
        "WITHDRAWN_MARKER": urls.WITHDRAWN_MARKER,
    }
    target = out_dir / SITE_CONF
    target.write_text(fill((TEMPLATES / f"{SITE_CONF}.in").read_text("utf-8"), values), "utf-8")
    return target


def render_foreground(root: Path, port: int, run_dir: Path) -> Path:
    """Everything `nginx -c` needs to serve `root` on 127.0.0.1:`port` from `run_dir`."""
    render_site(SiteConfig(root, f"{HOST}:{port}"), run_dir)
    values = {
        "RUN": quoted_path(run_dir.resolve()),
        "CONF": quoted_path(run_dir.resolve()),
        "USER": user_directive(),
    }
    target = run_dir / MAIN_CONF
    target.write_text(fill((TEMPLATES / f"{MAIN_CONF}.in").read_text("utf-8"), values), "utf-8")
    return target


def user_directive() -> str:
    """Started as root, nginx runs its workers as `nobody`, who cannot read a folder only root
    may enter (pytest's temporary folders are 0700, a root's home is too): the workers run as
    whoever started nginx. Started as anyone else, nginx cannot change user and would warn."""
    if os.geteuid() != 0:
        return ""
    user = pwd.getpwuid(os.geteuid()).pw_name
    group = grp.getgrgid(os.getegid()).gr_name
    return f"user {user} {group};"


def find_nginx() -> str:
    for candidate in NGINX_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("nginx")
    if found is None:
        raise ServerError("找不到 nginx；请先安装：sudo apt-get install nginx")
    return found


def port_problem(port: int) -> str | None:
    """Why nginx could not listen on 127.0.0.1:`port`, found before it starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # nginx sets SO_REUSEADDR too, so a port in TIME_WAIT counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as error:
            other = 8081 if port != 8081 else 8082
            if error.errno == errno.EADDRINUSE:
                return (
                    f"端口 {port} 已被占用（可能另一个 make serve-release 或 make serve 还开着）；"
                    f"请先关掉它，或换一个端口：make serve-release DEST=… PORT={other}"
                )
            if error.errno == errno.EACCES:
                return (
                    f"没有权限使用端口 {port}（1024 以下的端口要管理员权限）；"
                    f"请换一个：make serve-release DEST=… PORT={other}"
                )
            return f"无法使用端口 {port}（{error.strerror}）；请换一个：PORT={other}"
    return None


def _end_with_parent() -> None:
    """In the child before nginx starts: if the script dies without stopping it (killed),
    the kernel stops nginx too, instead of leaving it holding the port."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: Ctrl-C still reaches nginx through the terminal


def run_foreground(nginx: str, config: Path, run_dir: Path) -> int:
    """Run nginx with `config` until it exits; Ctrl-C stops it and is raised again."""
    process = subprocess.Popen(
        [nginx, "-p", f"{run_dir.resolve()}/", "-e", "stderr", "-c", str(config.resolve())],
        preexec_fn=_end_with_parent,
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        # From a terminal nginx got the Ctrl-C too; from anything else it did not.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
