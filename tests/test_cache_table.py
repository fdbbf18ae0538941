"""`migrate` alone makes the cache table the rate limits live in (no separate createcachetable step)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import connection

migration = import_module("iprof.migrations.0001_cache_table")


def _exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('iprof_cache') IS NOT NULL")
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db
def test_the_migration_creates_the_cache_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE iprof_cache")  # rolled back with the test's transaction
    assert not _exists()
    with connection.schema_editor() as editor:
        migration.create_cache_table(None, editor)
    assert _exists()
