"""Staff roles as Django groups, kept in step with the code after every migrate.

Each app lists the permissions its staff roles need in `<app>/roles.py` as
PERMISSIONS = {RECTORAT: [...], DRH: [...]}; this module merges them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib.auth.models import Group, Permission

RECTORAT = "Rectorat — gestion des personnels"
DRH = "DRH — courrier et résultats"
ROLES = (RECTORAT, DRH)

ROLE_MODULES = ("accounts.roles", "dossier.roles", "siam.roles", "iprof.courrier.roles", "iprof.guides.roles")


def role_permissions() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {role: [] for role in ROLES}
    for module_name in ROLE_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for role, perms in module.PERMISSIONS.items():
            merged[role].extend(perms)
    return merged


def sync_roles(**kwargs: Any) -> None:
    for name, perms in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
