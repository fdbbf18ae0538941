"""Posting to « Votre courrier » — the function every app calls.

    post_courrier(
        *,
        recipients: QuerySet[Agent] | Iterable[int | Agent],
        sujet: str,
        corps: str | Mapping[int, str],
        key: str,
        categorie: Categorie | str = Categorie.INFORMATION,
        sender: Agent | None = None,
        attachments: Sequence[AttachmentData] | Mapping[int, Sequence[AttachmentData]] = (),
        posted_by: Agent | None = None,
        description: str = "",
    ) -> PostResult

- recipients: a QuerySet of agents, or agent ids (Agent instances are accepted too).
  Duplicates are ignored; an unknown id refuses the whole envoi.
- corps: the same text for everybody, or {agent_id: text} when each agent gets their
  own (every recipient must then have an entry).
- key: the idempotency key of the envoi, e.g. "siam-resultats-intra-2027". Posting the
  same key again creates nothing for the agents who already have the message and
  completes the envoi for those who don't (a re-run after a failure). Reusing a key for
  a different courrier (other sujet, corps, catégorie or sender) raises CourrierError.
- attachments: (filename, content bytes, content type) tuples given to every recipient,
  or {agent_id: [tuples]} when each agent gets their own file (e.g. SIAM's confirmation
  PDF). Files are stored under MEDIA_ROOT by content hash and only downloadable by the
  recipient and authorised staff.
- sender: a staff agent, or None for « Rectorat — DRH » (system and DRH postings).
- posted_by, description: who pressed the button and which selection, kept on the envoi.

Returns PostResult(envoi_id, key, created, already_posted) — `created` counts the messages
this call made, `already_posted` the recipients who had it already; `.total` their sum.

It runs in one transaction with a bounded number of queries whatever the number of
recipients (bulk inserts), and sends each new recipient one e-mail notification
(without the content) from a background task started after commit.
Raises CourrierError (a French message) on invalid input; nothing is written then.

Conversations with the correspondant de gestion: start_conversation() and
write_in_conversation() (e.g. « Signaler une erreur » in the dossier).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agent
from iprof.courrier.models import Attachment, Categorie, Conversation, CorrespondantGestion, Envoi, Message
from iprof.courrier.storage import store_blob

AttachmentData = tuple[str, bytes, str]
MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024
MAX_KEY_LENGTH = 200
MAX_SUJET_LENGTH = 200


class CourrierError(Exception):
    """A courrier that cannot be posted; the message is French and shown to staff as is."""


@dataclass(frozen=True)
class PostResult:
    envoi_id: int
    key: str
    created: int  # messages created by this call
    already_posted: int  # recipients who already had this envoi's message

    @property
    def total(self) -> int:
        return self.created + self.already_posted


@dataclass(frozen=True)
class _Stored:
    filename: str
    name: str
    content_type: str
    size: int
    sha256: str

    def row(self, message: Message) -> Attachment:
        return Attachment(
            message=message,
            file=self.name,
            filename=self.filename,
            content_type=self.content_type,
            size=self.size,
            sha256=self.sha256,
        )


def post_courrier(
    *,
    recipients: QuerySet[Agent] | Iterable[int | Agent],
    sujet: str,
    corps: str | Mapping[int, str],
    key: str,
    categorie: Categorie | str = Categorie.INFORMATION,
    sender: Agent | None = None,
    attachments: Sequence[AttachmentData] | Mapping[int, Sequence[AttachmentData]] = (),
    posted_by: Agent | None = None,
    description: str = "",
) -> PostResult:
    _check_text(key=key, sujet=sujet, corps=corps, categorie=categorie)
    _check_attachments(attachments)
    fingerprint = _fingerprint(sujet, corps, str(categorie), sender)
    with transaction.atomic():
        # Locked: a simultaneous posting of the same key waits here, then finds every message made.
        envoi, _created = Envoi.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "sujet": sujet,
                "categorie": categorie,
                "fingerprint": fingerprint,
                "sender": sender,
                "posted_by": posted_by,
                "description": description[:300],
            },
        )
        if envoi.fingerprint != fingerprint:
            raise CourrierError(_("La clé d'envoi « %(key)s » a déjà servi pour un autre courrier.") % {"key": key})
        wanted = _recipient_ids(recipients)
        if isinstance(corps, Mapping):
            _check_covers(corps, wanted, _("Texte du message manquant pour les agents %(ids)s."))
        if isinstance(attachments, Mapping):
            _check_subset(attachments, wanted)
        existing = set(Message.objects.filter(envoi=envoi).order_by().values_list("recipient_id", flat=True))
        new_ids = [agent_id for agent_id in wanted if agent_id not in existing]
        messages = _create_messages(envoi, new_ids, sujet=sujet, corps=corps, categorie=categorie, sender=sender)
        Attachment.objects.bulk_create(_attachment_rows(messages, attachments))
        Envoi.objects.filter(pk=envoi.pk).update(recipient_count=len(existing | set(wanted)))
        if messages:
            from iprof.courrier.tasks import enqueue_envoi_notifications

            transaction.on_commit(partial(enqueue_envoi_notifications, envoi.pk), robust=True)
    return PostResult(envoi_id=envoi.pk, key=key, created=len(messages), already_posted=len(wanted) - len(messages))


def _create_messages(
    envoi: Envoi,
    agent_ids: list[int],
    *,
    sujet: str,
    corps: str | Mapping[int, str],
    categorie: str,
    sender: Agent | None,
) -> list[Message]:
    """One INSERT whatever the number of recipients (PostgreSQL: INSERT … SELECT FROM UNNEST)."""
    now = timezone.now()
    sender_id = sender.pk if sender else None
    return Message.objects.bulk_create(
        [
            Message(  # ids, not instances: the related descriptors cost more than the insert itself
                envoi_id=envoi.pk,
                recipient_id=agent_id,
                sender_id=sender_id,
                sujet=sujet,
                corps=corps[agent_id] if isinstance(corps, Mapping) else corps,
                categorie=categorie,
                created_at=now,
            )
            for agent_id in agent_ids
        ]
    )


def _check_text(*, key: str, sujet: str, corps: str | Mapping[int, str], categorie: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise CourrierError(_("La clé d'envoi est obligatoire (200 caractères au plus)."))
    _check_sujet(sujet)
    if isinstance(corps, str) and not corps.strip():
        raise CourrierError(_("Le texte du courrier est obligatoire."))
    if categorie not in Categorie.values:
        raise CourrierError(_("Catégorie de courrier inconnue\u00a0: %(categorie)s.") % {"categorie": categorie})


def _check_sujet(sujet: str) -> None:
    if not sujet.strip() or len(sujet) > MAX_SUJET_LENGTH:
        raise CourrierError(_("L'objet du courrier est obligatoire (200 caractères au plus)."))


def _check_attachments(attachments: Sequence[AttachmentData] | Mapping[int, Sequence[AttachmentData]]) -> None:
    groups = attachments.values() if isinstance(attachments, Mapping) else [attachments]
    for group in groups:
        for item in group:
            if len(item) != 3 or not isinstance(item[1], bytes) or not item[1]:
                raise CourrierError(_("Pièce jointe invalide\u00a0: (nom, contenu en octets, type) attendu."))
            if len(item[1]) > MAX_ATTACHMENT_SIZE:
                raise CourrierError(_("La pièce jointe « %(name)s » dépasse 10 Mo.") % {"name": item[0]})


def _fingerprint(sujet: str, corps: str | Mapping[int, str], categorie: str, sender: Agent | None) -> str:
    text = corps if isinstance(corps, str) else ""
    raw = "\x00".join([sujet, text, categorie, str(sender.pk if sender else "")])
    return hashlib.sha256(raw.encode()).hexdigest()


def _recipient_ids(recipients: QuerySet[Agent] | Iterable[int | Agent]) -> list[int]:
    if isinstance(recipients, QuerySet):
        if recipients.model is not Agent:
            raise CourrierError(_("Les destinataires doivent être des agents."))
        return list(recipients.order_by().values_list("pk", flat=True).distinct())
    ids = list(dict.fromkeys(r.pk if isinstance(r, Agent) else int(r) for r in recipients))
    known = set(Agent.objects.filter(pk__in=ids).order_by().values_list("pk", flat=True)) if ids else set()
    unknown = [agent_id for agent_id in ids if agent_id not in known]
    if unknown:
        raise CourrierError(_("Destinataires inconnus\u00a0: %(ids)s.") % {"ids": _sample(unknown)})
    return ids


def _check_covers(mapping: Mapping[int, object], wanted: list[int], message: str) -> None:
    missing = [agent_id for agent_id in wanted if agent_id not in mapping]
    if missing:
        raise CourrierError(message % {"ids": _sample(missing)})


def _check_subset(mapping: Mapping[int, object], wanted: list[int]) -> None:
    extra = sorted(set(mapping) - set(wanted))
    if extra:
        raise CourrierError(
            _("Pièces jointes pour des agents hors des destinataires\u00a0: %(ids)s.") % {"ids": _sample(extra)}
        )


def _sample(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + (" …" if len(ids) > 10 else "")


def _clean_filename(filename: str) -> str:
    name = os.path.basename(filename.replace("\\", "/"))
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    return name.strip()[:200] or "piece-jointe"


def _store(item: AttachmentData) -> _Stored:
    filename, content, content_type = item
    name, sha256 = store_blob(content)
    return _Stored(_clean_filename(filename), name, content_type[:100], len(content), sha256)


def _attachment_rows(
    messages: list[Message], attachments: Sequence[AttachmentData] | Mapping[int, Sequence[AttachmentData]]
) -> list[Attachment]:
    if not messages or not attachments:
        return []
    if isinstance(attachments, Mapping):
        return [
            _store(item).row(message) for message in messages for item in attachments.get(message.recipient_id or 0, ())
        ]
    shared = [_store(item) for item in attachments]
    return [stored.row(message) for message in messages for stored in shared]


# --- Conversations with the correspondant de gestion --------------------------------------


def start_conversation(
    *, agent: Agent, sujet: str, corps: str, attachment: AttachmentData | None = None
) -> Conversation:
    """A teacher writes to their correspondant de gestion: a new conversation."""
    correspondant = CorrespondantGestion.objects.for_agent(agent)
    if correspondant is None:
        raise CourrierError(
            _("Aucun correspondant de gestion n'est désigné pour votre discipline\u00a0: contactez le rectorat.")
        )
    _check_sujet(sujet)
    with transaction.atomic():
        _check_conversation_quota(agent)
        conversation = Conversation.objects.create(
            agent=agent, correspondant=correspondant, sujet=sujet, last_message_at=timezone.now()
        )
        write_in_conversation(conversation=conversation, author=agent, corps=corps, attachment=attachment)
    return conversation


def write_in_conversation(
    *, conversation: Conversation, author: Agent, corps: str, attachment: AttachmentData | None = None
) -> Message:
    """The teacher writes to their correspondant, or a staff member answers the teacher."""
    if not corps.strip():
        raise CourrierError(_("Le texte du message est obligatoire."))
    if attachment is not None:
        _check_attachments([attachment])
    from_teacher = author.pk == conversation.agent_id
    now = timezone.now()
    with transaction.atomic():
        if from_teacher and attachment is not None:
            _check_attachment_quota(author, len(attachment[1]))
        message = Message.objects.create(
            conversation=conversation,
            recipient=None if from_teacher else conversation.agent,
            sender=author,
            sujet=conversation.sujet if from_teacher else reply_subject(conversation.sujet),
            corps=corps,
            categorie=Categorie.CORRESPONDANCE,
            created_at=now,
        )
        if attachment is not None:
            _store(attachment).row(message).save()
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
        if not from_teacher:
            from iprof.courrier.tasks import enqueue_message_notifications

            transaction.on_commit(partial(enqueue_message_notifications, [message.pk]), robust=True)
    return message


def reply_subject(sujet: str) -> str:
    """« Réponse : <sujet> », shortened with « … » so that it always fits the 200-character column."""
    reply = _("Réponse\u00a0: %(sujet)s") % {"sujet": sujet}
    if len(reply) <= MAX_SUJET_LENGTH:
        return reply
    room = MAX_SUJET_LENGTH - len(_("Réponse\u00a0: %(sujet)s") % {"sujet": ""}) - 1
    return _("Réponse\u00a0: %(sujet)s") % {"sujet": sujet[:room].rstrip() + "…"}


def _lock_agent(agent: Agent) -> None:
    # two tabs posting at the same moment must not both pass a quota
    Agent.objects.select_for_update().filter(pk=agent.pk).values_list("pk", flat=True).first()


def _check_conversation_quota(agent: Agent) -> None:
    _lock_agent(agent)
    mine = Conversation.objects.filter(agent=agent)
    per_day = settings.COURRIER_CONVERSATIONS_PER_DAY
    if mine.filter(created_at__gte=timezone.now() - datetime.timedelta(days=1)).count() >= per_day:
        raise CourrierError(
            _(
                "Vous avez déjà commencé %(n)d conversations depuis 24 heures\u00a0: écrivez dans l'une d'elles, "
                "ou attendez demain pour en commencer une nouvelle."
            )
            % {"n": per_day}
        )
    if mine.count() >= settings.COURRIER_CONVERSATIONS_MAX:
        raise CourrierError(
            _("Vous avez atteint le nombre maximal de conversations (%(n)d)\u00a0: écrivez dans l'une d'elles.")
            % {"n": settings.COURRIER_CONVERSATIONS_MAX}
        )


def _check_attachment_quota(agent: Agent, size: int) -> None:
    _lock_agent(agent)
    used = Attachment.objects.filter(message__sender=agent).aggregate(total=Sum("size"))["total"] or 0
    limit = settings.COURRIER_ATTACHMENTS_MAX_BYTES_PER_AGENT
    if used + size > limit:
        raise CourrierError(
            _(
                "Vos pièces jointes occupent déjà %(used)s sur les %(max)s autorisés\u00a0: joignez un fichier plus "
                "léger, ou écrivez sans pièce jointe."
            )
            % {"used": _taille(used), "max": _taille(limit)}
        )


def _taille(size: int) -> str:
    value, unit = (size / 1024 / 1024, "Mo") if size >= 1024 * 1024 else (size / 1024, "Ko")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f"\u00a0{unit}"


def mark_read(*, messages: QuerySet[Message]) -> int:
    """Idempotent: only unread messages get a reading date; the first reading stays."""
    return messages.filter(read_at__isnull=True).update(read_at=timezone.now())


def mark_unread(*, message: Message) -> None:
    Message.objects.filter(pk=message.pk).update(read_at=None)
