from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Agent
from iprof.courrier.forms import ConversationForm, DiffusionForm, GestionFilterForm, ReplyForm, valid_key
from iprof.courrier.models import Attachment, Conversation, CorrespondantGestion, Envoi, Message
from iprof.courrier.services import (
    CourrierError,
    mark_read,
    mark_unread,
    post_courrier,
    start_conversation,
    write_in_conversation,
)

PER_PAGE = 20


def _agent(request: HttpRequest) -> Agent:
    return request.user  # type: ignore[return-value]


def get_message_for_user(request: HttpRequest, pk: int) -> Message:
    queryset = Message.objects.for_recipient(_agent(request)).select_related("sender")
    return get_object_or_404(queryset.prefetch_related("attachments"), pk=pk)


def get_conversation_for_user(request: HttpRequest, pk: int) -> Conversation:
    return get_object_or_404(Conversation.objects.for_agent(_agent(request)).select_related("correspondant"), pk=pk)


def get_conversation_for_staff(request: HttpRequest, pk: int) -> Conversation:
    queryset = Conversation.objects.for_staff(_agent(request)).select_related("agent", "correspondant")
    return get_object_or_404(queryset, pk=pk)


def _thread(conversation: Conversation) -> QuerySet[Message]:
    return conversation.messages.select_related("sender").prefetch_related("attachments").order_by("created_at", "pk")


# --- The teacher's courrier ----------------------------------------------------------------


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(Message.objects.inbox(_agent(request)), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courrier/inbox.html", {"page_obj": page, "section": "courrier"})


@require_GET
@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_for_user(request, pk)
    if not message.is_read:
        mark_read(messages=Message.objects.filter(pk=message.pk))
    return render(request, "courrier/message.html", {"message": message, "section": "courrier"})


@require_POST
@login_required
def message_unread(request: HttpRequest, pk: int) -> HttpResponse:
    mark_unread(message=get_message_for_user(request, pk))
    messages.info(request, _("Le message est de nouveau marqué comme non lu."))
    return redirect("courrier:inbox")


@require_GET
@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    piece = get_object_or_404(Attachment.objects.visible_to(_agent(request)), pk=pk)
    try:
        stream = piece.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(stream, as_attachment=True, filename=piece.filename, content_type=piece.content_type)


@require_GET
@login_required
def conversations(request: HttpRequest) -> HttpResponse:
    agent = _agent(request)
    unread = Count("messages", filter=Q(messages__recipient=agent, messages__read_at__isnull=True))
    context = {
        "correspondant": CorrespondantGestion.objects.for_agent(agent),
        "conversations": Conversation.objects.for_agent(agent).annotate(unread=unread),
        "section": "courrier",
    }
    return render(request, "courrier/conversations.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def conversation_new(request: HttpRequest) -> HttpResponse:
    form = ConversationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = start_conversation(agent=_agent(request), **_conversation_data(form))
        except CourrierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Votre message a été transmis à votre correspondant de gestion."))
            return redirect(conversation)
    correspondant = CorrespondantGestion.objects.for_agent(_agent(request))
    context = {"form": form, "correspondant": correspondant, "section": "courrier"}
    return render(request, "courrier/conversation_new.html", context)


def _conversation_data(form: ConversationForm) -> dict:
    data = form.cleaned_data
    return {"sujet": data["sujet"], "corps": data["corps"], "attachment": data["piece_jointe"]}


@require_http_methods(["GET", "POST"])
@login_required
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_user(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write_in_conversation(
            conversation=conversation,
            author=_agent(request),
            corps=form.cleaned_data["corps"],
            attachment=form.cleaned_data["piece_jointe"],
        )
        messages.success(request, _("Votre message a été transmis à votre correspondant de gestion."))
        return redirect(conversation)
    mark_read(messages=conversation.messages.filter(recipient=_agent(request)))
    context = {"conversation": conversation, "thread": _thread(conversation), "form": form, "section": "courrier"}
    return render(request, "courrier/conversation.html", context)


# --- Staff: the correspondant de gestion answers ---------------------------------------------


@require_GET
@login_required
@permission_required("courrier.answer_conversation", raise_exception=True)
def gestion(request: HttpRequest) -> HttpResponse:
    unread = Count("messages", filter=Q(messages__recipient__isnull=True, messages__read_at__isnull=True))
    queryset = (
        Conversation.objects.for_staff(_agent(request))
        .select_related("agent", "correspondant")
        .annotate(unread=unread)
        .order_by("-last_message_at", "-pk")
    )
    form = GestionFilterForm(request.GET or None)
    page = Paginator(form.filter(queryset), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courrier/gestion.html", {"page_obj": page, "form": form, "section": "courrier"})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("courrier.answer_conversation", raise_exception=True)
def gestion_conversation(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = get_conversation_for_staff(request, pk)
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        write_in_conversation(
            conversation=conversation,
            author=_agent(request),
            corps=form.cleaned_data["corps"],
            attachment=form.cleaned_data["piece_jointe"],
        )
        messages.success(request, _("Votre réponse a été envoyée\u00a0; l'enseignant est prévenu par courriel."))
        return redirect("courrier:gestion-conversation", pk=conversation.pk)
    mark_read(messages=conversation.messages.filter(recipient__isnull=True))
    context = {"conversation": conversation, "thread": _thread(conversation), "form": form, "section": "courrier"}
    return render(request, "courrier/gestion_conversation.html", context)


# --- Staff: the DRH posts to a selection of agents -------------------------------------------


def _diffusion_page(request: HttpRequest, form: DiffusionForm) -> HttpResponse:
    envois = Envoi.objects.select_related("posted_by")[:10]
    context = {"form": form, "envois": envois, "section": "courrier"}
    return render(request, "courrier/diffusion.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("courrier.post_courrier", raise_exception=True)
def diffusion(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: the preview (nothing is posted yet), or back to the form to edit."""
    form = DiffusionForm(request.POST or None)
    if request.method == "GET" or "modifier" in request.POST or not form.is_valid():
        return _diffusion_page(request, form)
    count = form.recipients.count()
    if count == 0:
        form.add_error("selection", _("Aucun destinataire ne correspond à cette sélection."))
        return _diffusion_page(request, form)
    context = {
        "form": form,
        "count": count,
        "sample": form.recipients.order_by("nom", "prenom")[:10],
        "key": f"diffusion-{uuid.uuid4().hex}",
        "section": "courrier",
    }
    return render(request, "courrier/diffusion_preview.html", context)


@require_POST
@login_required
@permission_required("courrier.post_courrier", raise_exception=True)
def diffusion_send(request: HttpRequest) -> HttpResponse:
    form = DiffusionForm(request.POST)
    key = request.POST.get("key", "")
    if not valid_key(key) or not form.is_valid():
        messages.error(request, _("Le courrier n'a pas été envoyé\u00a0: vérifiez le formulaire."))
        return _diffusion_page(request, form)
    try:
        result = post_courrier(
            recipients=form.recipients,
            sujet=form.cleaned_data["sujet"],
            corps=form.cleaned_data["corps"],
            categorie=form.cleaned_data["categorie"],
            key=key,
            posted_by=_agent(request),
            description=form.description,
        )
    except CourrierError as exc:
        messages.error(request, str(exc))
        return _diffusion_page(request, form)
    if result.created:
        messages.success(request, _("Courrier envoyé à %(n)s agent(s).") % {"n": result.created})
    else:
        messages.info(request, _("Ce courrier avait déjà été envoyé\u00a0: rien n'a été envoyé une seconde fois."))
    return redirect("courrier:diffusion")
