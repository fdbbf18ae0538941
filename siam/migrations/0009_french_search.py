"""unaccent and pg_trgm for the accent-insensitive, typo-tolerant search of siam/search.py.

Both operations are CREATE EXTENSION IF NOT EXISTS: another app may create the same extension.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("siam", "0008_inter_demande_close")]

    operations = [UnaccentExtension(), TrigramExtension()]
