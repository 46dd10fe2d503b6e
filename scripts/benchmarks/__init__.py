"""Benchmarks run by `scripts/bench`: one module per benchmark, registered here by name.

A benchmark module provides:

- `DESCRIPTION`: one line for `scripts/bench --help`;
- `add_arguments(parser)`: its own command-line options (each must have a default,
  because `scripts/bench` with no name runs every benchmark with its defaults);
- `run(args) -> int`: runs, prints its figures, returns 0 when every check passes.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Protocol, cast


class Benchmark(Protocol):
    DESCRIPTION: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


# Name on the command line -> module in this package. Run in this order by `scripts/bench`.
BENCHMARKS: dict[str, str] = {
    "site": "site_build",
    "media": "media",
    "province": "province",
}


def load(name: str) -> Benchmark:
    return cast(Benchmark, importlib.import_module(f"{__name__}.{BENCHMARKS[name]}"))
