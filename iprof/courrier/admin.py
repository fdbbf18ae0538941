from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iprof.courrier.models import Attachment, Conversation, CorrespondantGestion, Envoi, Message
from lib.admin_search import SemiJoinSearchMixin
from lib.queues import Queue, QueueFilter, register
from lib.text import accord


class ReadOnlyAdmin(admin.ModelAdmin):
    """What was sent stays as it was sent: the admin shows it, never edits it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CorrespondantGestion)
class CorrespondantGestionAdmin(admin.ModelAdmin):
    list_display = ("libelle", "discipline", "departement", "agent", "groupe")
    list_filter = ("discipline", "departement")
    search_fields = ("libelle",)
    autocomplete_fields = ("agent",)


@admin.register(Envoi)
class EnvoiAdmin(ReadOnlyAdmin):
    list_display = ("sujet", "categorie", "recipient_count", "description", "posted_by", "created_at")
    list_select_related = ("posted_by",)
    list_filter = ("categorie",)
    search_fields = ("sujet", "key")
    date_hierarchy = "created_at"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ("filename", "content_type", "size")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("sujet", "recipient", "categorie", "created_at", "read_at", "notified_at")
    list_filter = ("categorie", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("sujet", "recipient__identifiant", "recipient__nom", "envoi__key")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "sender", "envoi", "conversation")
    inlines = [AttachmentInline]
    show_full_result_count = False
    ordering = ("-pk",)  # newest first along the primary key: no further index on a table written 50,000 at a time

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        # Diffusions only: what a teacher writes to their correspondant is read in « Échanges ».
        return super().get_queryset(request).filter(envoi__isnull=False)


class ConversationMessageInline(admin.StackedInline):
    model = Message
    fields = ("created_at", "sender", "recipient", "corps", "read_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("messages de l'échange")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Conversation)
class ConversationAdmin(SemiJoinSearchMixin, ReadOnlyAdmin):
    list_display = ("sujet", "agent", "correspondant", "last_message_at")
    list_filter = (QueueFilter, "correspondant")
    search_fields = ("sujet__unaccent", "=agent__identifiant", "=agent__numen", "agent__nom__unaccent")
    list_select_related = ("agent", "correspondant")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    inlines = [ConversationMessageInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conversation]:
        return super().get_queryset(request).for_staff(request.user)  # type: ignore[attr-defined,arg-type]


def non_lus(qs: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Échanges where a teacher's message waits for its correspondant de gestion."""
    unread = Message.objects.filter(conversation=OuterRef("pk"), recipient__isnull=True, read_at__isnull=True)
    return qs.filter(Exists(unread))


register(
    Queue(
        key="messages_non_lus",
        model=Conversation,
        title=_("message non lu du correspondant"),
        label=lambda n: accord(
            n,
            gettext("%(n)s échange avec un message non lu au correspondant de gestion"),
            gettext("%(n)s échanges avec un message non lu au correspondant de gestion"),
        ),
        select=non_lus,
        scope=lambda qs, user: qs.for_staff(user),  # type: ignore[attr-defined]
    )
)
