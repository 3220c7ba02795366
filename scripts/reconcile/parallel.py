"""Work split over two processes, when that can help: parsing files, counting quotes in texts.

Only with much work, a core to spare (by the load average: on a busy machine a second process
only queues for the same cores), and no other threads in this process (forking a threaded
process can deadlock; ``mkdocs serve`` has threads). Otherwise everything runs here, in order.
The second process is forked, so it is handed its share without pickling the input.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

_job: list = []  # (function, items) for the forked process


def helps(work: int, minimum: int) -> bool:
    """``work`` (bytes to parse, characters to search) is worth a second process (about 50 ms to start)."""
    cores = os.cpu_count() or 1
    return (work >= minimum and cores >= 2 and os.getloadavg()[0] <= cores - 1
            and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods())


def map_halves(here, there, items: list, weights: list[int], minimum: int) -> list:
    """``[here(x) for x in items]``, except that when ``helps`` (by the total weight), the second half is
    done by ``there`` in a forked process (``there`` returns what can travel back cheaply)."""
    total, acc, cut = sum(weights), 0, len(items)
    if not helps(total, minimum):
        return [here(x) for x in items]
    for i, w in enumerate(weights):
        acc += w
        if acc >= total / 2:
            cut = i + 1
            break
    _job[:] = [there, items[cut:]]
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            job = pool.submit(_run)  # forks now, with _job set
            mine = [here(x) for x in items[:cut]]
            try:
                return mine + job.result()
            except BrokenProcessPool:  # the second process died (killed, out of memory): its share is done here
                return mine + [here(x) for x in items[cut:]]
    finally:
        _job.clear()


def _run() -> list:
    there, items = _job
    return [there(x) for x in items]
