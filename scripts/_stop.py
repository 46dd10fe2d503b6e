"""How a contributor command stops when it has already said why, in one Chinese line."""

from __future__ import annotations

import os
import sys


def stopped(message: str, status: int) -> int:
    """Print `message` on its own line and return the exit status to end with.

    Under make (which sets MAKELEVEL for its recipes) the status is 0: make would add an
    English "make: *** [...] Error N" line after ours, and a contributor reads the last line.
    Ctrl-C stops make itself all the same. Run directly, a script ends with `status`.
    """
    print(message, file=sys.stderr)
    return 0 if os.environ.get("MAKELEVEL") else status
