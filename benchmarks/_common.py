"""Shared set-up for the benchmarks: a fresh database of their own, migrated, with the
demo organisation, and plan content shaped like a real plan.

Each benchmark gets a new database and throws it away afterwards, so it never touches
`db.sqlite3` or the database named in DATABASE_URL:

- without DATABASE_URL (or with a SQLite one): a temporary file database
  `/tmp/bench-<name>-*.sqlite3`, tuned like the product's (WAL, IMMEDIATE transactions);
- with a PostgreSQL DATABASE_URL: a database `ubdt_bench_<name>` created next to the one
  in the URL (the user needs CREATEDB) and dropped at the end.
"""

from __future__ import annotations

import os
import platform
import signal
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _pg_execute(url: str, sql: str) -> None:
    """Run one statement (CREATE/DROP DATABASE) outside a transaction, connected to the
    database of `url`, or to `postgres` if that one does not exist."""
    import psycopg

    parts = urlsplit(url)
    connect = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 5432,
        "user": parts.username,
        "password": parts.password,
        "autocommit": True,
    }
    try:
        conn = psycopg.connect(dbname=parts.path.lstrip("/") or "postgres", **connect)
    except psycopg.OperationalError:
        conn = psycopg.connect(dbname="postgres", **connect)
    with conn:
        conn.execute(sql)


def _configure_environment() -> None:
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # Measure what production runs: no DEBUG (which would keep every query in memory),
    # and mail rendered and "sent" into memory instead of printed to the console.
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks (the outbox's delivery) run on commit in this process, as in the tests: no
    # worker, and nothing written to the embedded queue's file.
    os.environ["HUEY_IMMEDIATE"] = "true"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise notes that `collectstatic` has not been run; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)


@contextmanager
def fresh_database(name: str, *, keep: str = "", reuse: str = "") -> Iterator[str]:
    """Create, migrate and populate (demo organisation) a database for one benchmark;
    yields a short description of it; removes it afterwards.

    PostgreSQL only: `keep` names the database and leaves it in place at the end (for
    another benchmark to `reuse`); `reuse` opens that database as it is (no migration, no
    demo organisation) and drops it at the end."""
    _configure_environment()
    # A benchmark stopped with SIGTERM (timeout, kill) still removes its database.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    given = os.environ.get("DATABASE_URL", "")
    is_pg = given.startswith(("postgres://", "postgresql://", "pgsql://"))
    if (keep or reuse) and not is_pg:
        raise SystemExit("--keep-db / --reuse-db need a PostgreSQL DATABASE_URL")
    if is_pg:
        import psycopg

        bench_db = reuse or keep or f"ubdt_bench_{name}"
        if not reuse:
            try:
                # Left over by a run that was killed: drop it. One that another run of the
                # same benchmark is using now cannot be dropped (no FORCE): take our own name.
                _pg_execute(given, f'DROP DATABASE IF EXISTS "{bench_db}"')
            except psycopg.errors.ObjectInUse:
                if keep:
                    raise
                bench_db = f"ubdt_bench_{name}_{os.getpid()}"
            _pg_execute(given, f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(given)._replace(path="/" + bench_db))

        def cleanup() -> None:
            if not keep:
                _pg_execute(given, f'DROP DATABASE IF EXISTS "{bench_db}" WITH (FORCE)')

    else:
        fd, path = tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".sqlite3", dir="/tmp")
        os.close(fd)
        os.unlink(path)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"  # sqlite:////tmp/bench-….sqlite3

        def cleanup() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)

    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from organisation.demo import load_organisation

        if not reuse:
            call_command("migrate", verbosity=0)
            load_organisation()
        yield describe_database(connection)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()
        os.environ["DATABASE_URL"] = given
        if not given:
            del os.environ["DATABASE_URL"]


def describe_database(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} ({connection.settings_dict['NAME']})"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}"


def people() -> dict:
    from organisation.models import Person

    return {p.username: p for p in Person.objects.all()}


# --- Plan content ---------------------------------------------------------------------

SECTION_TEXT = (
    "Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ "
    "thông tin trong hoạt động của cơ quan nhà nước và Công văn số 878/UBDT-TTTT ngày "
    "08/10/2012 của Ủy ban Dân tộc. "
) * 4


def plan_content(index: int, first_year: int = 2026):
    """Sections, 4 objectives and 10 task rows: roughly the size of a real five-year plan."""
    from planning.models import SECTION_KEYS, Category, FundingSource
    from planning.services import ObjectiveRow, TaskRow

    categories = list(Category.values)
    sources = list(FundingSource.values)
    sections = dict.fromkeys(SECTION_KEYS, f"{SECTION_TEXT}(Kế hoạch số {index})")
    objectives = [
        ObjectiveRow(
            indicator=f"Chỉ tiêu {i} của kế hoạch {index}",
            baseline="50%",
            target_value="100%",
            target_year=first_year + i,
        )
        for i in range(4)
    ]
    tasks = [
        TaskRow(
            name=f"Nhiệm vụ {i} của kế hoạch {index}",
            category=categories[i % len(categories)],
            lead_unit="Trung tâm Thông tin",
            coordinating_units="Văn phòng Ủy ban",
            start_year=first_year + i % 3,
            end_year=first_year + 2 + i % 3,
            estimated_cost=(i + 1) * 250_000_000,
            funding_source=sources[i % len(sources)],
        )
        for i in range(10)
    ]
    return sections, objectives, tasks


def draft_plan(drafter, index: int):
    """A complete five-year plan in draft, through the real services."""
    from planning import services
    from planning.models import Kind

    plan = services.plan_create(
        user=drafter, kind=Kind.FIVE_YEAR, title=f"Kế hoạch thử tải số {index}", period_start=2026
    )
    sections, objectives, tasks = plan_content(index)
    services.plan_update(
        user=drafter,
        document_id=plan.document_id,
        version=None,
        title=f"Kế hoạch thử tải số {index}",
        sections=sections,
        objectives=objectives,
        tasks=tasks,
    )
    return plan


# --- Numbers --------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summarise_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return (
        f"median {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"min {min(ms):.1f} ms, max {max(ms):.1f} ms (n={len(ms)})"
    )


class Stopwatch:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
