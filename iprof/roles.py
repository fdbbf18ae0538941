"""Staff roles as Django groups, kept in step with the code after every migrate."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

RECTORAT = "Rectorat — gestion des personnels"
DRH = "DRH — courrier et résultats"

# app_label.codename; permissions of apps not installed yet are skipped.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    RECTORAT: [
        "accounts.view_agent",
        "accounts.add_agent",
        "accounts.change_agent",
    ],
    DRH: [
        "accounts.view_agent",
    ],
}


def sync_roles(**kwargs: Any) -> None:
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
