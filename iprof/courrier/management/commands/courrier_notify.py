"""Send the e-mail notifications a lost background task left behind (safety net, e.g. from cron)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from iprof.courrier.models import Message
from iprof.courrier.tasks import send_pending_notifications


class Command(BaseCommand):
    help = "Envoie les notifications par courriel des messages qui n'ont pas encore été notifiés."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--older-than", type=int, default=10, help="minutes d'attente (laisser le worker faire d'abord)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(minutes=options["older_than"])
        sent = send_pending_notifications(Message.objects.filter(created_at__lte=cutoff))
        self.stdout.write(f"{sent} notification(s) envoyée(s).")
