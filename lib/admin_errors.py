"""Domain errors in the back office, shown once: one helper for every staff page and every ModelAdmin.

A service refusal (``lib.errors.DomainError``: SiamError, DossierError…) or a ValidationError raised
while the admin saves rolls its transaction back (Django wraps the change form in one) and comes
back as one French error message — never twice, never as a traceback.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from lib.errors import DomainError

ERRORS: tuple[type[Exception], ...] = (DomainError, ValidationError)


def message_of(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc)


def show_error(request: HttpRequest, exc: Exception) -> None:
    """One messages.error per distinct text in this request, however many layers report it."""
    text = message_of(exc)
    shown: set[str] = getattr(request, "_iprof_errors_shown", set())
    if text in shown:
        return
    shown.add(text)
    request._iprof_errors_shown = shown  # type: ignore[attr-defined]
    messages.error(request, text)


class DomainErrorsAsMessages(admin.ModelAdmin):  # type: ignore[type-arg]
    """A domain error raised while saving rolls the admin's transaction back and is shown as a message."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ERRORS as exc:
            show_error(request, exc)
            return HttpResponseRedirect(request.path)
