"""What keeps the desk safe: CSRF tokens per person, and a rate limit on wrong links.

The personal link is the only credential, so a guessed link is the attack to slow down: each
client address may miss `FAILED_TOKENS_PER_MINUTE` times a minute, then gets 429 until the
minute has passed. CSRF tokens are an HMAC of the person's id under a secret kept in the desk
folder: a page from elsewhere cannot know it, and WeChat's browser does not honour
SameSite cookies reliably, so the hidden field is what every POST is checked by.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

CSRF_FIELD = "csrf"
FAILED_TOKENS_PER_MINUTE = 10
WINDOW_SECONDS = 60.0
SECRET_FILE = "csrf-secret"


def load_secret(desk_root: Path) -> bytes:
    """The desk's CSRF secret, made once (readable by the desk's user only) and kept, so a
    restart does not invalidate the forms open on people's phones."""
    path = desk_root / SECRET_FILE
    desk_root.mkdir(parents=True, exist_ok=True)
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        pass
    secret = secrets.token_bytes(32)
    temp = desk_root / f".{SECRET_FILE}-{secrets.token_hex(4)}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secret.hex())
    try:
        os.link(temp, path)  # the first desk process to get here wins; the others read its secret
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    finally:
        temp.unlink()
    return secret


def csrf_token(secret: bytes, person_id: str) -> str:
    return hmac.new(secret, f"csrf:{person_id}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, person_id: str, sent: str | None) -> bool:
    if not sent:
        return False
    return hmac.compare_digest(csrf_token(secret, person_id).encode(), sent.encode())


class FailureLimiter:
    """Failed token look-ups per client address in a sliding minute."""

    def __init__(
        self, limit: int = FAILED_TOKENS_PER_MINUTE, window: float = WINDOW_SECONDS
    ) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client)) >= self.limit

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(time.monotonic())

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures[client]
        cutoff = time.monotonic() - self.window
        while failures and failures[0] < cutoff:
            failures.popleft()
        return failures
