from __future__ import annotations

from django.test import Client

from accounts.audit import record
from accounts.models import Agent, AuditEvent


def test_login_failure_success_and_logout_are_journalled_without_secrets(teacher_a: Agent, password: str) -> None:
    client = Client(REMOTE_ADDR="192.0.2.10", headers={"user-agent": "TestBrowser/1.0"})
    client.post("/compte/login/", {"login": "fdupont", "password": "wrong-password-123"})
    client.post("/compte/login/", {"login": "fdupont", "password": password})
    session_key = client.session.session_key
    client.post("/compte/deconnexion/")
    kinds = [e.kind for e in AuditEvent.objects.order_by("date", "id")]
    assert kinds == ["login_failed", "login", "logout"]
    event = AuditEvent.objects.of_kind("login_failed").get()
    assert event.identifiant == "fdupont"
    assert event.ip == "192.0.2.10"
    assert event.user_agent == "TestBrowser/1.0"
    dumped = " ".join(str(v) for v in AuditEvent.objects.values_list("libelle", "motif", "data"))
    assert password not in dumped and "wrong-password-123" not in dumped
    assert session_key not in dumped  # type: ignore[operator]


def test_journal_is_read_only_in_the_admin(rectorat: Agent, teacher_a: Agent) -> None:
    record(AuditEvent.Kind.LOGIN, agent=teacher_a)
    client = Client()
    client.force_login(rectorat)
    assert client.get("/admin/accounts/auditevent/").status_code == 200
    event = AuditEvent.objects.first()
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403  # type: ignore[union-attr]
    assert AuditEvent.objects.filter(pk=event.pk).exists()  # type: ignore[union-attr]


def test_the_security_journal_lists_filters_and_searches_the_events(rectorat: Agent, teacher_a: Agent) -> None:
    record(AuditEvent.Kind.LOGIN, agent=teacher_a)
    record(AuditEvent.Kind.LOGIN_FAILED, identifiant="zzinconnu")
    client = Client()
    client.force_login(rectorat)
    listing = client.get("/admin/accounts/auditevent/?kind=login_failed").content.decode()
    assert "zzinconnu" in listing and "fdupont" not in listing
    found = client.get("/admin/accounts/auditevent/?q=zzinconnu").content.decode()
    assert "zzinconnu" in found and "fdupont" not in found
    event = AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN).for_object(teacher_a).get()
    detail = client.get(f"/admin/accounts/auditevent/{event.pk}/change/").content.decode()
    assert "fdupont" in detail and "connexion réussie" in detail
