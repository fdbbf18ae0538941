"""One e-mail per new message, after commit, without the content."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import Agent
from iprof.courrier.models import Message
from iprof.courrier.services import post_courrier
from iprof.courrier.tasks import send_pending_notifications

SECRET = "Votre barème retenu est de 412,5 points."


def _post(ids: list[int], key: str = "envoi") -> None:
    post_courrier(recipients=ids, sujet="Barème retenu", corps=SECRET, key=key)


def test_each_recipient_is_notified_once_after_commit(
    many_agents: Callable[..., list[int]], django_capture_on_commit_callbacks
) -> None:
    ids = many_agents(3)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _post(ids)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1  # one task for the whole envoi
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"bulk{i}@example.org" for i in range(3))
    assert not Message.objects.filter(notified_at__isnull=True).exists()


def test_the_notification_says_a_message_waits_without_its_content(
    many_agents: Callable[..., list[int]], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(many_agents(1))
    (email,) = mail.outbox
    assert email.subject == "Un nouveau message vous attend dans I-Prof"
    assert "Votre courrier" in email.body
    assert "412,5" not in email.body and "Barème" not in email.body + email.subject


def test_the_plain_text_mail_is_not_html_escaped(db: None) -> None:
    agent = Agent.objects.create(identifiant="adangelo", nom="D'Angelo", prenom="Anne", email="a@example.org")
    _post([agent.pk])
    send_pending_notifications(Message.objects.all())
    assert "Bonjour Anne D'ANGELO," in mail.outbox[0].body


def test_posting_again_sends_no_second_notification(
    many_agents: Callable[..., list[int]], django_capture_on_commit_callbacks
) -> None:
    ids = many_agents(2)
    with django_capture_on_commit_callbacks(execute=True):
        _post(ids)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _post(ids)
    assert callbacks == []
    assert len(mail.outbox) == 2


def test_a_rerun_notifies_only_the_new_recipients(
    many_agents: Callable[..., list[int]], django_capture_on_commit_callbacks
) -> None:
    ids = many_agents(3)
    with django_capture_on_commit_callbacks(execute=True):
        _post(ids[:1])
    with django_capture_on_commit_callbacks(execute=True):
        _post(ids)
    assert sorted(m.to[0] for m in mail.outbox) == ["bulk0@example.org", "bulk1@example.org", "bulk2@example.org"]


def test_nothing_is_sent_when_the_transaction_rolls_back(
    many_agents: Callable[..., list[int]], django_capture_on_commit_callbacks
) -> None:
    ids = many_agents(2)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _post(ids)
        raise RuntimeError("the caller fails after posting")
    assert callbacks == []
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_the_task_sends_each_pending_message_once_even_when_run_twice(many_agents: Callable[..., list[int]]) -> None:
    _post(many_agents(4))  # on_commit never fires inside the test transaction: run the task by hand
    assert send_pending_notifications(Message.objects.all(), chunk=3) == 4
    assert send_pending_notifications(Message.objects.all(), chunk=3) == 0
    assert len(mail.outbox) == 4


def test_agents_without_an_address_are_skipped_but_not_retried_forever(db: None) -> None:
    agent = Agent.objects.create(identifiant="sansmail", nom="Sans", prenom="Mail")
    _post([agent.pk])
    assert send_pending_notifications(Message.objects.all()) == 0
    assert Message.objects.get().notified_at is not None
    assert mail.outbox == []


def test_the_sweep_command_sends_what_a_lost_task_left_behind(many_agents: Callable[..., list[int]]) -> None:
    _post(many_agents(2))
    call_command("courrier_notify", "--older-than", "10")
    assert mail.outbox == []  # too recent: the worker may still be on it
    Message.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    call_command("courrier_notify", "--older-than", "10")
    assert len(mail.outbox) == 2
