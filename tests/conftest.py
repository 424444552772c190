import datetime as dt
import os

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

from organisation.demo import load_organisation

# Fuzzing budgets (tests/fuzz/): "ci" keeps .ci/run well under its time limit; "long" is
# for a local run before a release: HYPOTHESIS_PROFILE=long ./scripts/test.sh tests/fuzz
hypothesis_settings.register_profile("ci", max_examples=15, deadline=None, derandomize=False)
hypothesis_settings.register_profile("long", max_examples=500, deadline=None)
hypothesis_settings.register_profile("medium", max_examples=100, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test against a database file rather than Django's default shared-cache
    in-memory database: only a file gives each thread its own connection with WAL,
    busy_timeout and IMMEDIATE transactions, as in production, so the concurrency tests
    (tests/workflows/test_concurrency.py) see real serialisation instead of "database
    table is locked" errors of the shared cache."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def rolled_back_setup(django_db_blocker, build):
    """For a module- or session-scoped fixture: runs `build()` inside an outer transaction,
    yields what it returns, and rolls the transaction back when the fixture's scope ends.
    Each test then runs in its own savepoint over it (pytest-django's `db`), so it sees
    exactly what `build` made and its changes are undone. Not for a scope holding
    `transactional_db` tests (they would flush inside the outer transaction). Use it as
    `yield from rolled_back_setup(django_db_blocker, build)`."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's TestCase marks its own atomics
        outer.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _load_demo() -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    """Runs `load_demo` once for the module inside an outer transaction that is rolled
    back when the module ends (see `demo`)."""
    yield from rolled_back_setup(django_db_blocker, _load_demo)


@pytest.fixture
def demo(_demo_module, db) -> str:
    """The whole demo (`manage.py load_demo`), loaded once per test module: the load
    (~5 s) runs in an outer transaction rolled back after the module's last test, and
    each test runs in its own savepoint over it (pytest-django's `db`), so it sees
    exactly the freshly loaded demo and its changes are undone. Not for modules with
    `transactional_db` tests (they would flush inside the outer transaction). Returns
    what the load wrote to stdout."""
    return _demo_module


@pytest.fixture
def demo_org(db):
    """The demo organisation: seven units and one person per role."""
    load_organisation()


# Wide enough for every frozen clock the tests use.
DELEGATION_PERIOD = (dt.date(2020, 1, 1), dt.date(2035, 12, 31))


@pytest.fixture
def vice_minister_delegation(demo_org):
    """The demo Vice-Minister may sign every kind "KT." (a Vice-Minister signs only
    under a delegation in force; see delegation/)."""
    from organisation.models import Person
    from tests.factories import DelegationFactory

    return DelegationFactory(
        delegate=Person.objects.get(username="thutruong"),
        recorded_by=Person.objects.get(username="botruong"),
        starts_on=DELEGATION_PERIOD[0],
        ends_on=DELEGATION_PERIOD[1],
        decision_reference="Quyết định số 123/QĐ-UBDT ngày 01/12/2026",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real parallel connections: on SQLite they are
    deselected (reported as such), never skipped and counted as passing. Tests marked
    `deploy` need a deployed server (scripts/deploy_smoke.sh sets DEPLOY_URL): without
    one they are deselected the same way, and so are tests marked `redis` (a real huey
    worker against Redis) without TEST_REDIS_URL."""

    def needs_missing(item):
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            return True
        if item.get_closest_marker("redis") and not os.environ.get("TEST_REDIS_URL"):
            return True
        return bool(item.get_closest_marker("deploy")) and not os.environ.get("DEPLOY_URL")

    dropped = [i for i in items if needs_missing(i)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [i for i in items if not needs_missing(i)]
