"""PostgreSQL plans the pages' queries once per connection: psycopg prepares a statement from its 5th run.

Planning the dossier page's query takes PostgreSQL ~16 ms, running it ~1 ms (issue 14); with the parameters sent
apart from the SQL (server-side binding) and prepare_threshold=5, the 6th run on a connection uses the plan kept.
"""

from __future__ import annotations

from django.db import connection

from accounts.models import Agent
from dossier.selectors import dossier_record


def prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return int(cursor.fetchone()[0])


def test_a_page_query_run_again_is_prepared_on_its_connection(teacher_a: Agent) -> None:
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    assert dossier_record(teacher_a) is not None
    assert prepared("dossier_diplome") == 0  # once: planned and run, nothing kept yet
    for _ in range(5):
        assert dossier_record(teacher_a) is not None
    assert prepared("dossier_diplome") == 1  # from its 5th run, the plan stays on the connection
