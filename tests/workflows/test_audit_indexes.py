"""The audit trail's trigram indexes on PostgreSQL: the person filter by name has one it
can use, and no GIN index is kept twice on an append."""

import pytest
from django.db import connection

from workflows.models import AuditEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _trigram_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE indexdef LIKE '%%gin_trgm_ops%%' ORDER BY indexname"
        )
        return cursor.fetchall()


def test_no_trigram_index_is_kept_twice():
    definitions = [d.split(" USING ", 1)[1] + d.split(" ON ", 1)[1] for _n, d in _trigram_indexes()]
    assert len(definitions) == len(set(definitions))


def test_the_name_filter_can_use_the_upper_trigram_index():
    sql, params = (
        AuditEvent.objects.filter(actor_name__icontains="Văn An")
        .order_by()  # the inspector's order is by seq; here only the filter is asked about
        .values("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        # On a table this small the planner prefers any scan; forbid the ones that need no
        # index for the filter (a sequential scan, or walking the seq index in order).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "workflows_audit_actor_upper_trgm" in plan
