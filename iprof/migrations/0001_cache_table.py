"""The database cache's table (rate limits, shared by every worker and node) is part of the schema.

Without it the first failed login is a 500; `migrate` alone now makes a working portal. With another
cache backend (Redis when scaled out) `createcachetable` creates nothing, so this is harmless there.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
