"""Progress of long runs on stderr: a tqdm bar on a terminal, a line every few seconds when piped.

``progress`` settings used across the toolkit: ``False`` shows nothing; ``True`` shows a bar on a
terminal and, when stderr is piped or redirected, one plain line every ``interval`` seconds (so a
long job in a log file is visibly alive); ``None`` (the library default) shows a bar on a terminal
and nothing otherwise.
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Context manager: ``update(n)`` advances by n units; the owner of one run (not shared)."""

    def __init__(self, total: int, desc: str, *, enabled: bool | None = None, unit: str = "step",
                 interval: float = 5.0):
        tty = sys.stderr.isatty()
        self.total, self.desc, self.unit, self.interval = total, desc, unit, interval
        self.mode = "off" if enabled is False or (enabled is None and not tty) else ("bar" if tty else "lines")
        self.done, self._bar = 0, None
        self._t0 = self._last = time.monotonic()

    def __enter__(self) -> "Progress":
        if self.mode == "bar":
            from tqdm.auto import tqdm

            self._bar = tqdm(total=self.total, desc=self.desc, unit=self.unit, mininterval=0.5, leave=False)
        return self

    def update(self, n: int) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.mode == "lines":
            now = time.monotonic()
            if now - self._last >= self.interval:
                self._last = now
                rate = self.done / max(now - self._t0, 1e-9)
                print(f"{self.desc}: {self.done}/{self.total} {self.unit}s ({100 * self.done / self.total:.0f}%, "
                      f"{rate:,.0f} {self.unit}s/s)", file=sys.stderr, flush=True)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
