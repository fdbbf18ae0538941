"""The back office's own pages, registered in one place: the AdminSite collects them into its URLs.

A staff page is a plain typed function view, registered with the permissions it needs::

    @staff_view("siam/mouvementrun/lancer/", name="siam_mouvementrun_launch", model=MouvementRun,
                permissions=("siam.run_mouvement",))
    def launch(request: HttpRequest) -> HttpResponse: ...

The site wraps each one with ``admin_view`` (staff login, second factor, no cache, CSRF) and refuses
with 403 whoever lacks one of the permissions, before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.exceptions import AlreadyRegistered
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class StaffView:
    route: str
    view: View
    name: str
    permissions: tuple[str, ...]
    model: type[models.Model] | None = None  # whose list the page belongs to (breadcrumbs, « opts »)


class StaffViewsSite(admin.AdminSite):
    """An AdminSite holding a registry of staff pages besides its ModelAdmins."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._staff_views: dict[str, StaffView] = {}

    def register_view(
        self,
        route: str,
        view: View,
        *,
        name: str,
        permissions: tuple[str, ...],
        model: type[models.Model] | None = None,
    ) -> None:
        if name in self._staff_views:
            raise AlreadyRegistered(f"staff view {name!r} is already registered")
        self._staff_views[name] = StaffView(route, view, name, permissions, model)

    def staff_views(self) -> list[StaffView]:
        return list(self._staff_views.values())

    def get_urls(self) -> list[URLPattern]:  # type: ignore[override]
        # first: a model's own catch-all (« <object_id>/ ») would otherwise answer these routes
        ours = [path(v.route, self.admin_view(guarded(v)), name=v.name) for v in self._staff_views.values()]
        return ours + cast(list[URLPattern], super().get_urls())


def guarded(entry: StaffView) -> View:
    @wraps(entry.view)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perms(entry.permissions):
            raise PermissionDenied
        return entry.view(request, *args, **kwargs)

    view.staff_view = entry  # type: ignore[attr-defined]  # read by the access matrix
    return view


def site() -> StaffViewsSite:
    return cast(StaffViewsSite, admin.site)


def staff_view(
    route: str, *, name: str, permissions: tuple[str, ...], model: type[models.Model] | None = None
) -> Callable[[View], View]:
    """Register the decorated view on the project's AdminSite (see the module docstring)."""

    def register(view: View) -> View:
        site().register_view(route, view, name=name, permissions=permissions, model=model)
        return view

    return register


def context(request: HttpRequest, model: type[models.Model] | None = None, **extra: Any) -> dict[str, Any]:
    """What every staff page's template needs: the site's context, the model's options, the page's own."""
    opts = {"opts": model._meta} if model is not None else {}
    return {**site().each_context(request), **opts, **extra}
