"""A line on stderr every few seconds while a step without a step count runs (``predict`` on large data).

Nothing is printed when the step ends within the first interval, so fast commands stay quiet.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Callable

__all__ = ["Heartbeat", "INTERVAL"]

#: seconds between two lines (and before the first)
INTERVAL = 10.0


class Heartbeat:
    """Context manager: ``say("DESC: still working (T s)")`` every ``interval`` seconds until the body ends."""

    def __init__(self, desc: str, *, interval: float | None = None, enabled: bool = True,
                 say: Callable[[str], None] | None = None):
        self.desc, self.enabled = desc, enabled
        self.interval = INTERVAL if interval is None else interval
        self._say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Heartbeat":
        if self.enabled:
            self._thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
            self._thread.start()
        return self

    def _beat(self) -> None:
        t0 = time.monotonic()
        while not self._stop.wait(self.interval):
            self._say(f"{self.desc}: still working ({time.monotonic() - t0:.0f} s)")

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
