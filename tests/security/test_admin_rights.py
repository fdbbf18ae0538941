from __future__ import annotations

from django.test import Client

from accounts.models import Agent


def test_rectorat_cannot_raise_anyones_rights(rectorat: Agent, teacher_a: Agent) -> None:
    client = Client()
    client.force_login(rectorat)
    page = client.get(f"/admin/accounts/agent/{teacher_a.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page and 'name="is_staff"' not in page
    client.post(
        f"/admin/accounts/agent/{teacher_a.pk}/change/",
        {
            "civilite": "M",
            "nom": "Dupont",
            "prenom": "Frédéric",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    teacher_a.refresh_from_db()
    assert not teacher_a.is_superuser and not teacher_a.is_staff
    assert client.get(f"/admin/accounts/agent/{teacher_a.pk}/password/").status_code == 403


def test_nobody_creates_a_demande_in_the_admin(rectorat: Agent) -> None:
    client = Client()
    client.force_login(rectorat)
    assert client.get("/admin/siam/demande/add/").status_code == 403


def test_guide_search_survives_a_nul_character(client_a: Client) -> None:
    assert client_a.get("/guides/", {"q": "mut\x00ation"}).status_code == 200


def test_email_is_not_managed_by_the_teacher(client_a: Client, teacher_a: Agent) -> None:
    from allauth.account.models import EmailAddress

    response = client_a.get("/compte/email/")
    assert response.status_code == 200
    assert teacher_a.email in response.content.decode()
    assert client_a.post("/compte/email/", {"email": "pirate@example.org", "action_add": ""}).status_code == 405
    assert not EmailAddress.objects.filter(email="pirate@example.org").exists()
