"""Where the tasks of a sweep run: a local process pool, or the workers of a running Dask scheduler.

Any ``concurrent.futures.Executor`` will do (``run_sweep(cfg, out, executor)``); this module opens
the two a configuration can name.  A Dask scheduler is started elsewhere, e.g. ``dask scheduler`` on
one machine and ``dask worker tcp://HOST:8786`` on each of the others, every one with this package
installed; the sweep only connects to it (and never shuts it down).
"""

from __future__ import annotations

import concurrent.futures as cf
from contextlib import contextmanager
from typing import Iterator

from ..errors import ConfigError

__all__ = ["open_executor", "dask_executor", "CONNECT_TIMEOUT"]

#: seconds to wait for a Dask scheduler to answer before giving up with a one-line error
CONNECT_TIMEOUT = 30.0


@contextmanager
def open_executor(workers: int | None = None, scheduler: str | None = None, *,
                  timeout: float = CONNECT_TIMEOUT) -> Iterator[cf.Executor]:
    """A process pool of ``workers`` (default: all CPUs), or the executor of the Dask scheduler at
    ``scheduler``; shut down (pool) or disconnected from (Dask) on exit."""
    if scheduler is None:
        with cf.ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
    else:
        with dask_executor(scheduler, timeout=timeout) as ex:
            yield ex


@contextmanager
def dask_executor(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[cf.Executor]:
    """``distributed.Client(address).get_executor()``; ConfigError (one line) when dask.distributed is
    missing or the scheduler cannot be reached."""
    try:
        import distributed
    except ImportError:
        raise ConfigError("a Dask scheduler needs dask.distributed: pip install 'dask[distributed]'") from None
    try:
        # checked before Client(): a Client that fails on a malformed address stalls the interpreter's exit
        distributed.comm.resolve_address(address)
        # set_as_default=False: the sweep's client must not become the process-wide default
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:  # malformed, unknown host, refused or timed out
        raise ConfigError(f"cannot connect to the Dask scheduler at {address}: {_one_line(exc)}") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
