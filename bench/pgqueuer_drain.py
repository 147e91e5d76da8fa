#!/usr/bin/env python3
"""Drain-rate benchmark for pgqueuer, the reference point for `make bench-queue`.

The harness starts a PostgreSQL cluster, creates an empty database and calls

    python3 bench/pgqueuer_drain.py --dsn URL [--jobs 100000] [--enqueue-batch 1000]
        [--dequeue-batch 500] [--workers 2] [--json]

The script (re)installs pgqueuer's schema in that database, enqueues ``--jobs``
no-op jobs in batches of ``--enqueue-batch`` and then drains them with
``--workers`` QueueManagers, tuned the way pgqueuer's own benchmark tool
(``tools/benchmark.py``) and performance-tuning guide tune it for throughput:

* asyncpg driver, one dedicated connection per QueueManager (``AsyncpgDriver``;
  the guide: "Use a direct asyncpg connection (not a pool) for the QueueManager");
* uvloop event loop (what ``tools/benchmark.py`` runs under);
* ``batch_size`` = ``--dequeue-batch`` (500) jobs per dequeue round-trip
  (the guide: raise ``batch_size`` for short-lived jobs);
* ``max_concurrent_tasks`` unlimited (the default, as in the benchmark tool);
* ``pgq autovac``'s recommended autovacuum/fillfactor settings applied;
* ``mode=drain``, as in the benchmark tool's drain strategy;
* durability left at ``durable`` (the default): logged tables, like the queue
  it is compared with.

Drain time runs from the moment the QueueManagers are started until every job
has run *and* pgqueuer has retired it from its queue table (the entrypoint
counts the calls; then the table is polled until empty).  Enqueueing and
draining each give up with an error (exit status 1) after ``--timeout`` seconds
(300 by default).

With ``--json`` stdout carries exactly one JSON object; everything else
(progress, the human summary) goes to stderr.  Without it the summary goes to
stdout.  Dependencies are pinned in bench/requirements.txt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from importlib.metadata import version as dist_version

import asyncpg
import uvloop
from pgqueuer import QueueManager
from pgqueuer.db import AsyncpgDriver
from pgqueuer.models import Job
from pgqueuer.queries import Queries
from pgqueuer.types import QueueExecutionMode

ENTRYPOINT = "bench_noop"


def log(msg: str) -> None:
    print(f"[pgqueuer_drain] {msg}", file=sys.stderr, flush=True)


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Measure pgqueuer's enqueue and drain rate on a given PostgreSQL database.",
    )
    p.add_argument("--dsn", required=True, help="libpq URL of an (empty) database to use")
    p.add_argument("--jobs", type=positive_int, default=100_000, help="jobs to enqueue and drain")
    p.add_argument("--enqueue-batch", type=positive_int, default=1000, help="jobs per enqueue call")
    p.add_argument(
        "--dequeue-batch", type=positive_int, default=500, help="QueueManager.run(batch_size=...)"
    )
    p.add_argument("--workers", type=positive_int, default=2, help="number of QueueManagers")
    p.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="give up enqueueing or draining after this many seconds each (default 300)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p.parse_args(argv)


async def connect(dsn: str) -> asyncpg.Connection:
    return await asyncpg.connect(dsn=dsn, timeout=30)


async def queue_rows(conn: asyncpg.Connection, table: str) -> int:
    return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))


async def install_schema(queries: Queries) -> None:
    # Idempotent: pgqueuer's uninstall is all DROP ... IF EXISTS.
    await queries.uninstall()
    await queries.install()
    # `pgq autovac`: pgqueuer's recommended autovacuum/fillfactor settings.
    await queries.optimize_autovacuum()


async def enqueue_all(queries: Queries, jobs: int, batch: int) -> float:
    """Enqueue `jobs` no-op jobs, `batch` per call; return elapsed seconds."""
    start = time.perf_counter()
    remaining = jobs
    while remaining > 0:
        n = min(batch, remaining)
        await queries.enqueue([ENTRYPOINT] * n, [None] * n, [0] * n)
        remaining -= n
    return time.perf_counter() - start


async def drain(
    dsn: str,
    jobs: int,
    batch_size: int,
    workers: int,
    timeout: float,
    monitor: asyncpg.Connection,
    table: str,
) -> float:
    """Run `workers` QueueManagers until all jobs are gone; return elapsed seconds."""
    executed = 0
    all_executed = asyncio.Event()

    managers: list[QueueManager] = []
    connections: list[asyncpg.Connection] = []
    for _ in range(workers):
        conn = await connect(dsn)
        connections.append(conn)
        qm = QueueManager(Queries(AsyncpgDriver(conn)))

        @qm.entrypoint(ENTRYPOINT)
        async def noop(job: Job) -> None:
            nonlocal executed
            executed += 1
            if executed >= jobs:
                all_executed.set()

        managers.append(qm)

    def stop_managers() -> None:
        for qm in managers:
            qm.shutdown.set()

    start = time.perf_counter()
    deadline = start + timeout
    runs = [
        asyncio.create_task(qm.run(batch_size=batch_size, mode=QueueExecutionMode.drain))
        for qm in managers
    ]

    async def wait_until_done() -> None:
        waiter = asyncio.create_task(all_executed.wait())
        try:
            pending = set(runs)
            while not all_executed.is_set():
                done, pending = await asyncio.wait(
                    pending | {waiter}, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done - {waiter}:
                    if not task.cancelled() and task.exception() is not None:
                        raise RuntimeError(
                            f"a QueueManager failed after {executed} jobs"
                        ) from task.exception()
                pending.discard(waiter)
                if not pending and not all_executed.is_set():
                    raise RuntimeError(
                        f"all QueueManagers stopped after only {executed} of {jobs} jobs"
                    )
        finally:
            waiter.cancel()
        # Every job has run; it is done once pgqueuer has logged it and removed
        # it from the queue table (its status buffer flushes in batches).
        while await queue_rows(monitor, table) > 0:
            await asyncio.sleep(0.005)

    async def progress() -> None:
        while True:
            await asyncio.sleep(10)
            elapsed = time.perf_counter() - start
            log(f"  ... {executed} jobs run after {elapsed:.0f} s")

    reporter = asyncio.create_task(progress())
    try:
        await asyncio.wait_for(wait_until_done(), timeout=max(deadline - time.perf_counter(), 0))
        elapsed = time.perf_counter() - start
    except TimeoutError:
        raise RuntimeError(
            f"gave up: only {executed} of {jobs} jobs ran within {timeout:.0f} s"
        ) from None
    finally:
        reporter.cancel()
        stop_managers()
        _, still_running = await asyncio.wait(runs, timeout=30)
        for task in still_running:
            task.cancel()
        await asyncio.gather(*runs, return_exceptions=True)
        for conn in connections:
            if not conn.is_closed():
                await conn.close()
    return elapsed


async def run(args: argparse.Namespace) -> dict[str, object]:
    pgq_version = dist_version("pgqueuer")
    log(f"pgqueuer {pgq_version}, asyncpg {dist_version('asyncpg')}")

    setup_conn = await connect(args.dsn)
    try:
        queries = Queries(AsyncpgDriver(setup_conn))
        settings = queries.qbe.settings
        table = settings.qualify(settings.queue_table)

        log("installing pgqueuer schema (uninstall first if present)")
        await install_schema(queries)

        log(f"enqueueing {args.jobs} jobs in batches of {args.enqueue_batch}")
        try:
            enqueue_s = await asyncio.wait_for(
                enqueue_all(queries, args.jobs, args.enqueue_batch), timeout=args.timeout
            )
        except TimeoutError:
            raise RuntimeError(f"gave up: enqueueing took over {args.timeout:.0f} s") from None
        queued = await queue_rows(setup_conn, table)
        if queued != args.jobs:
            raise RuntimeError(f"expected {args.jobs} queued jobs, found {queued}")
        log(f"enqueued {args.jobs} jobs in {enqueue_s:.3f} s")

        log(
            f"draining with {args.workers} QueueManager(s), batch_size={args.dequeue_batch}, "
            f"timeout {args.timeout:.0f} s"
        )
        drain_s = await drain(
            args.dsn,
            args.jobs,
            args.dequeue_batch,
            args.workers,
            args.timeout,
            setup_conn,
            table,
        )
        log(f"drained {args.jobs} jobs in {drain_s:.3f} s")
    finally:
        await setup_conn.close()

    return {
        "pgqueuerVersion": pgq_version,
        "jobs": args.jobs,
        "enqueuePerSecond": round(args.jobs / enqueue_s, 1),
        "drainPerSecond": round(args.jobs / drain_s, 1),
        "dequeueBatch": args.dequeue_batch,
        "workers": args.workers,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # pgqueuer logs through the "pgqueuer" logger; keep all of it on stderr.
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    )
    try:
        result = uvloop.run(run(args))
    except Exception as exc:  # noqa: BLE001 - report and fail
        log(f"error: {exc!r}")
        return 1

    summary = (
        f"pgqueuer {result['pgqueuerVersion']}: {result['jobs']} jobs, "
        f"enqueue {result['enqueuePerSecond']:,.0f} jobs/s (batches of {args.enqueue_batch}), "
        f"drain {result['drainPerSecond']:,.0f} jobs/s "
        f"({result['workers']} workers, dequeue batch {result['dequeueBatch']})"
    )
    if args.json:
        print(summary, file=sys.stderr, flush=True)
        print(json.dumps(result), flush=True)
    else:
        print(summary, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
