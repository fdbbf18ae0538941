"""Issue 17, points 1, 2 and 6: rights on accounts are hierarchical, and every change is journaled and told."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from accounts.models import Agent, AuditEvent
from lib.roles import DRH, RECTORAT
from tests.factories import PASSWORD, enrol_totp
from tests.security.conftest import parse_forms


def _client(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _submit_change_form(client: Client, agent: Agent, **overrides: Any) -> Any:
    """Post the admin's change form of ``agent`` as the browser shows it, with ``overrides`` typed in."""
    url = f"/admin/accounts/agent/{agent.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    forms = parse_forms("http://testserver" + url, page.content.decode())
    form = next(f for f in forms if f.method == "post" and f.action.endswith(url))
    data = [(k, v) for k, v in form.data() if k not in overrides]
    for name, value in overrides.items():
        data.extend((name, v) for v in (value if isinstance(value, list) else [value]))
    body: dict[str, Any] = {}
    for name, value in data:
        body.setdefault(name, []).append(value)
    return client.post(url, body)


@pytest.fixture
def superuser(db: None) -> Agent:
    agent = Agent.objects.create_superuser("admin", PASSWORD, email="admin@ac-clermont.fr")
    enrol_totp(agent)
    return agent


def test_a_gestionnaire_cannot_set_the_superusers_email_to_his_own(rectorat: Agent, superuser: Agent) -> None:
    client = _client(rectorat)
    page = client.get(f"/admin/accounts/agent/{superuser.pk}/change/").content.decode()
    assert 'name="email"' not in page and 'name="is_active"' not in page
    _submit_change_form(client, superuser, email=rectorat.email, is_active="")
    superuser.refresh_from_db()
    assert superuser.email == "admin@ac-clermont.fr"
    assert superuser.is_active


def test_a_gestionnaire_cannot_deactivate_nor_delete_a_drh_account(rectorat: Agent, drh: Agent) -> None:
    client = _client(rectorat)
    _submit_change_form(client, drh, is_active="", email="pirate@example.org")
    drh.refresh_from_db()
    assert drh.is_active and drh.email == "denis.rh@ac-clermont.fr"
    assert client.post(f"/admin/accounts/agent/{drh.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Agent.objects.filter(pk=drh.pk).exists()


def test_a_teacher_given_a_group_by_hand_is_protected_like_staff(rectorat: Agent, teacher_b: Agent) -> None:
    teacher_b.groups.set(Group.objects.filter(name=DRH))
    _submit_change_form(_client(rectorat), teacher_b, email="pirate@example.org")
    teacher_b.refresh_from_db()
    assert teacher_b.email == "francoise.dupont@example.org"


def test_a_gestionnaire_changing_a_teachers_email_is_journaled_and_told_to_both_addresses(
    rectorat: Agent, teacher_a: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit_change_form(_client(rectorat), teacher_a, email="f.dupont@ac-clermont.fr")
    assert response.status_code == 302
    teacher_a.refresh_from_db()
    assert teacher_a.email == "f.dupont@ac-clermont.fr"
    event = AuditEvent.objects.of_kind(AuditEvent.Kind.STAFF_CHANGE).for_object(teacher_a).get()
    assert event.auteur == rectorat
    assert event.libelle == "email : f***t@example.org → f***t@ac-clermont.fr"
    assert event.date is not None
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"f.dupont@ac-clermont.fr", "frederic.dupont@example.org"}
    assert "adresse électronique" in mail.outbox[0].subject


def test_a_superuser_giving_a_group_to_a_non_staff_account_is_refused(superuser: Agent, teacher_a: Agent) -> None:
    rectorat = Group.objects.get(name=RECTORAT)
    response = _submit_change_form(
        _client(superuser), teacher_a, groups=[str(rectorat.pk)], is_staff="", user_permissions=[]
    )
    assert response.status_code == 200
    assert "doit avoir « accès à l&#x27;administration »" in response.content.decode()
    assert not teacher_a.groups.exists()
    response = _submit_change_form(
        _client(superuser), teacher_a, groups=[str(rectorat.pk)], is_staff="on", user_permissions=[]
    )
    assert response.status_code == 302
    teacher_a.refresh_from_db()
    assert teacher_a.is_staff and teacher_a.groups.filter(pk=rectorat.pk).exists()
    details = set(AuditEvent.objects.of_kind(AuditEvent.Kind.STAFF_CHANGE).values_list("libelle", flat=True))
    assert details == {"is_staff : False → True", f"groups : ∅ → {RECTORAT}"}


def test_a_password_set_by_a_superuser_in_the_admin_is_journaled_and_notified(
    superuser: Agent, teacher_a: Agent, django_capture_on_commit_callbacks: Any
) -> None:
    new = "une toute nouvelle phrase de passe"
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(superuser).post(
            f"/admin/accounts/agent/{teacher_a.pk}/password/", {"password1": new, "password2": new}
        )
    assert response.status_code == 302
    event = AuditEvent.objects.of_kind(AuditEvent.Kind.STAFF_CHANGE).for_object(teacher_a).get()
    assert event.libelle == "password : *** → ***" and event.auteur == superuser
    assert [m.to for m in mail.outbox] == [["frederic.dupont@example.org"]]


def test_the_admins_own_password_page_sends_to_the_portals(rectorat: Agent) -> None:
    response = _client(rectorat).get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/password/change/"
