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


# --- the models: a relation is an edge too, even named by a string ("dossier.Discipline") ---------------------------

RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _target(node: ast.Call) -> ast.expr | None:
    if node.args:
        return node.args[0]
    return next((kw.value for kw in node.keywords if kw.arg == "to"), None)


def model_references(path: Path) -> list[tuple[int, str]]:
    """(line, "app_label.Model") for each relation whose target is a string naming another app, and each
    ``apps.get_model("app_label…")``: an import by another name, resolved by the app registry at start-up."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        target = _target(node) if name in RELATIONS else node.args[0] if name == "get_model" and node.args else None
        if (
            isinstance(target, ast.Constant)
            and isinstance(target.value, str)
            and ("." in target.value or name == "get_model")
        ):
            found.append((node.lineno, target.value))
    return found


def named_by_settings(path: Path) -> set[tuple[str, str]]:
    """(model class, field) of each relation whose target is a setting (``settings.AUTH_USER_MODEL``…): the shell
    chooses what it points to, as Django's own apps are given the user model."""
    found: set[tuple[str, str]] = set()
    for cls in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(cls, ast.ClassDef):
            continue
        for statement in cls.body:
            value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
            targets = (
                statement.targets
                if isinstance(statement, ast.Assign)
                else [statement.target]
                if isinstance(statement, ast.AnnAssign)
                else []
            )
            if not (isinstance(value, ast.Call) and _call_name(value) in RELATIONS):
                continue
            target = _target(value)
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "settings"
            ):
                found.update((cls.name, t.id) for t in targets if isinstance(t, ast.Name))
    return found


def node_of_label(label: str) -> str | None:
    from django.apps import apps

    app_label = label.split(".")[0]
    try:
        return node_of(apps.get_app_config(app_label).name)
    except LookupError:
        return None


def test_no_model_names_a_model_of_an_app_it_may_not_import() -> None:
    wrong = []
    for path in sources():
        importer = node_of(module_name(path))
        for line, label in model_references(path):
            target = node_of_label(label)
            if importer and target and target != importer and target not in ALLOWED[importer]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {importer} → {target} ({label!r})")
    assert wrong == []


def test_every_relation_between_models_follows_the_allowed_directions() -> None:
    # read from the app registry: whatever names the target (a string, a constant, a setting), the edge is there
    from django.apps import apps

    by_settings = set().union(*(named_by_settings(path) for path in sources()))
    wrong = []
    for model in apps.get_models():
        source = node_of(model._meta.app_config.name)
        for field in model._meta.get_fields():
            if (field.auto_created and not field.concrete) or not field.is_relation or field.related_model is None:
                continue  # reverse relations are the other side's edge
            target = node_of(field.related_model._meta.app_config.name)  # type: ignore[union-attr]
            if not source or not target or target == source or target in ALLOWED[source]:
                continue
            if (model.__name__, field.name) not in by_settings:
                wrong.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")  # type: ignore[union-attr]
    assert wrong == []


def forbidden_lookups() -> dict[str, set[str]]:
    """For each node, the names by which its ORM lookups would walk into an app it may not import: the reverse
    accessors (``agent__dossier__…``) that the models of those apps put on its own models and on those it may use."""
    from django.apps import apps

    names: dict[str, set[str]] = {node: set() for node in ALLOWED}
    for model in apps.get_models():
        owner = node_of(model._meta.app_config.name)
        for field in model._meta.get_fields():
            if field.auto_created or not field.is_relation or field.related_model is None or field.remote_field is None:
                continue
            if field.remote_field.hidden:  # type: ignore[union-attr]
                continue
            target = node_of(field.related_model._meta.app_config.name)  # type: ignore[union-attr]
            for node, allowed in ALLOWED.items():
                if owner and owner != node and owner not in allowed and (target == node or target in allowed):
                    names[node].add(field.related_query_name())  # type: ignore[union-attr,operator,misc]
    return names


def lookups_of(path: Path) -> list[tuple[int, str]]:
    """(line, lookup) for each ``a__b`` keyword argument and string: filter(dossier__discipline=…), values("…")."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.keyword) and node.arg and "__" in node.arg:
            found.append((node.value.lineno, node.arg))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "__" in node.value:
            found.append((node.lineno, node.value))
    return found


def test_no_orm_lookup_walks_into_an_app_it_may_not_import() -> None:
    forbidden = forbidden_lookups()
    assert "dossier" in forbidden["courrier"]  # Agent.dossier, the one the courrier used to walk through
    wrong = []
    for path in sources():
        node = node_of(module_name(path))
        if node is None:
            continue
        for line, lookup in lookups_of(path):
            if forbidden[node] & set(lookup.split("__")):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {node} ({lookup})")
    assert wrong == []


def test_the_check_sees_a_string_named_relation(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from django.conf import settings\nfrom django.db import models\n\n\n"
        "class Probe(models.Model):\n"
        "    a = models.ForeignKey('dossier.Discipline', on_delete=models.CASCADE)\n"
        "    b = models.ManyToManyField(to='siam.Campagne')\n"
        "    c = models.ForeignKey(settings.COURRIER_DISCIPLINE_MODEL, on_delete=models.CASCADE)\n"
        "    d = models.ForeignKey('self', on_delete=models.CASCADE)\n"
        "    e = apps.get_model('dossier', 'Discipline')\n"
        "    f = Agent.objects.filter(dossier__discipline=1)\n",
        encoding="utf-8",
    )
    assert model_references(probe) == [(6, "dossier.Discipline"), (7, "siam.Campagne"), (10, "dossier")]
    assert named_by_settings(probe) == {("Probe", "c")}
    assert node_of_label("dossier.Discipline") == "dossier" not in ALLOWED["courrier"]
    assert (11, "dossier__discipline") in lookups_of(probe)
