"""The process pool that audits a batch's units, streaming each unit's outcome back.

On Linux the pool forks, after the parent has loaded and compiled the rule sets in force
(pure Python objects, shared copy-on-write), but before any durable-rules Host exists: a Host
holds C state and may start timer threads, neither of which survives a fork safely, so each
worker builds its own Host on first use. Where fork is not available (macOS, Windows) the pool
spawns, and each worker loads the rule sets itself.
"""

from __future__ import annotations

import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from ..judge.evaluate import durable_judge
from .unit import BatchOptions, UnitOutcome, audit_unit

_options: Optional[BatchOptions] = None


def _audit_chunk(tasks: list[tuple[Path, str]]) -> list[UnitOutcome]:
    assert _options is not None, "worker started without options"
    return [audit_unit(facts_file, name, _options) for facts_file, name in tasks]


def _pool_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _end_with_parent() -> None:
    """Ask Linux to stop this worker when the batch process ends, however it ends (even killed):
    a worker is never left running on its own."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the pool's own shutdown ends the workers


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    held = hasattr(signal, "pthread_sigmask")
    if held:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _start_worker(options: BatchOptions) -> None:
    global _options
    _options = options
    _end_with_parent()
    # The batch process decides when to stop; a worker interrupted or terminated with it just
    # ends, without the batch's own handler (inherited through fork) printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held by the batch while it forked
    # A forked worker may inherit a durable-rules Host built earlier in the parent (a test run,
    # a library caller); each worker builds its own instead of sharing copied C state.
    durable_judge.cache_clear()


def _lost(tasks: list[tuple[Path, str]]) -> list[UnitOutcome]:
    return [UnitOutcome(facts_file=str(facts_file), errors=[
        f"{facts_file}: not audited: a worker process died during the batch (a crash inside durable-rules "
        "or the machine running out of memory); audit the files listed so with --workers 1 to find the cause"])
        for facts_file, _ in tasks]


@contextmanager
def outcomes(tasks: list[tuple[Path, str]], options: BatchOptions, workers: int) -> Iterator[Iterator[UnitOutcome]]:
    if workers <= 1 or len(tasks) <= 1:
        yield (audit_unit(facts_file, name, options) for facts_file, name in tasks)
        return
    # Small chunks keep both cores busy to the end; not one task per message, which costs IPC.
    size = max(1, min(16, len(tasks) // (workers * 8)))
    chunks = iter([tasks[start:start + size] for start in range(0, len(tasks), size)])
    # With fork, the executor forks all its workers here, before its own thread or the progress
    # bar's start in this process. A worker that dies (a C crash) breaks the pool: the executor
    # says so, where multiprocessing.Pool would wait forever for the lost results.
    with ProcessPoolExecutor(workers, mp_context=_pool_context(), initializer=_start_worker,
                             initargs=(options,)) as pool:
        # A few chunks in flight per worker: results stream back, and nothing queues up in
        # memory however many units the batch has.
        pending: dict[Future, list[tuple[Path, str]]] = {}
        lost: list[UnitOutcome] = []

        def submit() -> bool:
            while len(pending) < workers * 4 and (chunk := next(chunks, None)) is not None:
                try:
                    pending[pool.submit(_audit_chunk, chunk)] = chunk
                except BrokenProcessPool:
                    lost.extend(_lost(chunk))
                    return False
            return True

        # The first submission forks the workers, here. A stop signal during a fork would land
        # in a callback Python guards (and prints "Exception ignored"), and a worker forked
        # before its initializer runs would hold the batch's own handler: the signals wait
        # until the forks are done, then arrive in the batch, where they stop it cleanly.
        with _stop_signals_held():
            broken = not submit()

        def results() -> Iterator[UnitOutcome]:
            nonlocal broken
            while True:
                if not broken:
                    broken = not submit()
                yield from lost
                lost.clear()
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = pending.pop(future)
                    try:
                        yield from future.result()
                    except BrokenProcessPool:
                        broken = True
                        yield from _lost(chunk)
            for chunk in chunks:  # left unsubmitted once the pool broke
                yield from _lost(chunk)

        try:
            yield results()
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now rather than let
            # them finish the chunks in flight.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
