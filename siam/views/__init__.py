"""SIAM views. A domain error goes where the teacher will read it: under its field, or above the page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from siam.errors import SiamError


def report_error(request: HttpRequest, form: forms.Form, exc: SiamError) -> None:
    if exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        messages.error(request, exc.message)
