"""What scripts/deploy, rollback and serve-release share: the DEST argument and sizes in
Chinese."""

from __future__ import annotations

import argparse
from pathlib import Path


def destination_arg(text: str) -> Path:
    if not text.strip():
        raise argparse.ArgumentTypeError("请写上发布目录，例如 DEST=/srv/huatuopin")
    return Path(text).expanduser().absolute()


def describe_size(size: int) -> str:
    """`1,234,567 字节（1.2 MB）`."""
    if size < 1024 * 1024:
        return f"{size:,} 字节（{size / 1024:.1f} KB）"
    return f"{size:,} 字节（{size / 1024 / 1024:.1f} MB）"
