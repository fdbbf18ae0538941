"""The house's import directions, read from the source: lib ← accounts ← dossier ← siam, anyone → courrier.

A new import against these directions fails here with the file, the line and the edge; the pure cores
(the barème calculator and the mouvement engine) import no Django and no app at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lib", "accounts", "dossier", "siam", "iprof")

# who may import whom (besides itself); "shell" is the portal's top: settings, urls, home, menu, banner
ALLOWED: dict[str, set[str]] = {
    "lib": set(),
    "accounts": {"lib", "courrier"},
    "courrier": {"lib", "accounts"},
    "guides": {"lib", "accounts", "courrier"},
    "dossier": {"lib", "accounts", "courrier"},
    "siam": {"lib", "accounts", "dossier", "courrier"},
    "shell": {"lib", "accounts", "dossier", "siam", "courrier", "guides"},
}
PURE_CORES = ("siam.bareme", "siam.mouvement")


def node_of(module: str) -> str | None:
    top = module.split(".")[0]
    if top == "iprof":
        if module.startswith("iprof.courrier"):
            return "courrier"
        if module.startswith("iprof.guides"):
            return "guides"
        return "shell"
    return top if top in PACKAGES else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def sources() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts and "tests" not in path.parts
    )


def edges() -> list[tuple[str, int, str, str, str]]:
    """(file, line, importer node, imported node, imported module) for every cross-node import."""
    found = []
    for path in sources():
        importer = node_of(module_name(path))
        for line, imported in imports_of(path):
            target = node_of(imported)
            if importer and target and target != importer:
                found.append((str(path.relative_to(ROOT)), line, importer, target, imported))
    return found


def test_every_import_follows_the_allowed_directions() -> None:
    wrong = [
        f"{file}:{line}: {importer} → {target} ({module})"
        for file, line, importer, target, module in edges()
        if target not in ALLOWED[importer]
    ]
    assert wrong == []


@pytest.mark.parametrize("core", PURE_CORES)
def test_the_pure_cores_import_no_django_and_no_app(core: str) -> None:
    wrong = []
    for path in sorted((ROOT / core.replace(".", "/")).rglob("*.py")):
        for line, imported in imports_of(path):
            top = imported.split(".")[0]
            if top == "django" or (node_of(imported) and not imported.startswith(core)):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {imported}")
    assert wrong == []


def test_the_check_sees_a_forbidden_edge(tmp_path: Path) -> None:
    # the reader itself: an import of siam from dossier is found and refused
    probe = tmp_path / "probe.py"
    probe.write_text("from siam.models import Voeu\nimport dossier.models\n", encoding="utf-8")
    assert [module for _line, module in imports_of(probe)] == ["siam.models", "dossier.models"]
    assert node_of("siam.models") not in ALLOWED["dossier"]
    assert node_of("iprof.courrier.services") in ALLOWED["siam"]
