"""Demo data for `make run` (IPROF_ENV=dev only)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

# Demo only: set by load_demo on the fixtures' agents, never anywhere else.
DEMO_PASSWORD = "demo-iprof-clermont"  # noqa: S105


def fixture_files() -> list[str]:
    return [str(p) for p in sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))]


def after_fixtures() -> None:
    """Hooks that date-dependent demo data needs (campagne calendars placed around today)."""
