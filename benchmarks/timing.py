"""Timing and table printing shared by the benchmarks."""

from __future__ import annotations

import statistics
import time
import timeit
from collections.abc import Callable


def per_call_us(
    function: Callable[[], object],
    budget_s: float = 0.2,
    rounds: int = 7,
    batch: Callable[[int], float] | None = None,
) -> float:
    """Median over ``rounds`` batches of the time per call, in microseconds.

    The batch size is chosen so that one batch takes about ``budget_s / rounds``. ``batch``
    (calls ``number`` times what is timed, returns the seconds taken) replaces calling
    ``function`` in a loop, for calls that must run elsewhere (in an event loop).
    """
    if batch is None:

        def batch(number: int) -> float:
            return timeit.timeit(function, number=number)

    number = 1
    while True:
        elapsed = batch(number)
        if elapsed >= budget_s / rounds or number >= 1_000_000:
            break
        number *= 4
    batches = [batch(number) for _ in range(rounds)]
    return statistics.median(batches) / number * 1e6


def wall_s(function: Callable[[], object], rounds: int = 3) -> float:
    """Median wall time of ``function`` over ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_table(title: str, rows: list[tuple[str, float]], unit: str, base: str) -> None:
    """Rows of (tool, time); each with its ratio to the ``base`` row (x slower than it)."""
    reference = dict(rows)[base]
    print(f"\n{title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        ratio = value / reference
        print(f"  {name:<{width}}  {value:>10.2f} {unit}  {ratio:>7.2f} x {base}")
