"""Demo data for `make run` (IPROF_ENV=dev only)."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.conf import settings

# Demo only: set by load_demo on the fixtures' agents, never anywhere else.
DEMO_PASSWORD = "demo-iprof-clermont"  # noqa: S105

# Apps whose demo data depends on today's date expose `after_fixtures()` in `<app>/demo.py`
# (e.g. SIAM places its campagne calendar so that the saisie is open).
DEMO_HOOKS = ("dossier.demo", "iprof.courrier.demo", "iprof.guides.demo", "siam.demo")


def fixture_files() -> list[str]:
    return [str(p) for p in sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))]


def after_fixtures() -> None:
    for module_name in DEMO_HOOKS:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.after_fixtures()
