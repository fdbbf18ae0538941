"""The intermediate page of a bulk admin action that needs a reason (a refusal told to the agent)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy


class RefusForm(forms.Form):
    motif_refus = forms.CharField(
        label=gettext_lazy("Motif du refus (communiqué à l'agent)"), max_length=300, strip=True
    )


def reason_form(request: HttpRequest) -> RefusForm:
    """Bound once the intermediate page is submitted, unbound on the first click of the action."""
    return RefusForm(request.POST if "motif_refus" in request.POST else None)


def reason_page(
    model_admin: Any,
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    action: str,
    title: str,
    form: forms.Form,
    submit: str = "",
) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "objects": queryset,
        "count": queryset.count(),
        "form": form,
        "action": action,
        "submit": submit or gettext("Refuser"),
        "opts": model_admin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/iprof/reason_action.html", context)


class RappelForm(forms.Form):
    sujet = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    corps = forms.CharField(label=gettext_lazy("Message"), widget=forms.Textarea, max_length=5000)
    key = forms.RegexField(regex=r"^rappel-[0-9a-f]{32}$", widget=forms.HiddenInput)


def rappel_form(request: HttpRequest) -> RappelForm:
    """Bound once the preview is confirmed; on the first click, a fresh idempotency key."""
    if "corps" in request.POST:
        return RappelForm(request.POST)
    return RappelForm(initial={"key": f"rappel-{uuid.uuid4().hex}"})
