"""Issue 17, point 4: login abuse cannot lock a teacher out on closing day.

Reproduction: five wrong passwords on an identifier, from any addresses, made the right password fail for
5 minutes from a fresh address; a successful reset did not lift it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts import lockout
from accounts.models import Agent, AuditEvent

LOGIN = "/compte/login/"
WRONG = "pas-le-bon-mot-de-passe"


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _attempt(client: Client, identifiant: str, password: str) -> Any:
    return client.post(LOGIN, {"login": identifiant, "password": password})


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_from_other_addresses_do_not_lock_the_owner_out(teacher_a: Agent, password: str) -> None:
    for i in range(1, 11):
        _attempt(_from(f"10.0.0.{i}"), "fdupont", WRONG)
    owner = _from("192.0.2.10")
    response = _attempt(owner, "fdupont", password)
    assert response.status_code == 302
    assert _logged_in(owner)


def test_the_attackers_own_address_is_refused_even_with_the_right_password(teacher_a: Agent, password: str) -> None:
    attacker = _from("10.0.0.66")
    for _ in range(5):
        _attempt(attacker, "fdupont", WRONG)
    response = _attempt(attacker, "fdupont", password)
    assert not _logged_in(attacker)
    assert "tentatives" in response.content.decode().lower()
    refused = AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN_LIMITED).filter(
        data__identifiant="fdupont", data__ip="10.0.0.66"
    )
    assert refused.count() == 1
    assert AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN_FAILED).filter(data__identifiant="fdupont").count() == 5


def test_one_address_trying_many_identifiers_is_refused(db: None, settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/10m/ip,5/5m/key"}
    spray = _from("10.0.1.1")
    for i in range(3):
        _attempt(spray, f"prof{i}", WRONG)
    assert "tentatives" in _attempt(spray, "prof99", WRONG).content.decode().lower()
    assert AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN_LIMITED).filter(data__ip="10.0.1.1").count() == 1


def test_past_the_identifier_ceiling_failures_are_slowed_not_refused(
    teacher_a: Agent, password: str, settings: Any
) -> None:
    settings.LOGIN_SLOWDOWN_CEILING = 3
    settings.LOGIN_SLOWDOWN_STEP = 0.001  # the figures of a real run are in bench/bench_lockout.py
    for i in range(1, 7):
        _attempt(_from(f"10.0.2.{i}"), "fdupont", WRONG)
    slowed = AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN_LIMITED).filter(data__identifiant="fdupont")
    assert [e.libelle.split(",")[0] for e in slowed.order_by("date", "pk")] == [
        "ralentie : 4 échecs sur cet identifiant",
        "ralentie : 5 échecs sur cet identifiant",
        "ralentie : 6 échecs sur cet identifiant",
    ]
    owner = _from("192.0.2.10")
    assert _attempt(owner, "fdupont", password).status_code == 302
    assert _logged_in(owner)
    assert slowed.count() == 3  # the right password was not slowed


@pytest.mark.parametrize(
    ("failures", "expected"),
    [(0, 0.0), (20, 0.0), (21, 0.05), (30, 0.5), (40, 1.0), (1000, 1.0)],
)
def test_the_delay_grows_past_the_ceiling_and_is_bounded(failures: int, expected: float) -> None:
    assert lockout.delay_for(failures, ceiling=20, step=0.05, maximum=1.0) == expected


def test_a_successful_reset_lifts_every_limit_on_the_account(teacher_a: Agent) -> None:
    attacker = _from("10.0.3.1")
    for _ in range(6):
        _attempt(attacker, "fdupont", WRONG)
    owner = _from("10.0.3.1")  # the same address (a shared school network), after a reset
    owner.post("/compte/password/reset/", {"email": teacher_a.email})
    link = re.search(r"http://testserver(/compte/password/reset/key/\S+/)", str(mail.outbox[-1].body))
    assert link
    form = owner.get(link.group(1), follow=True)
    new = "une phrase de passe toute neuve"
    owner.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    owner.post("/compte/deconnexion/")
    again = _from("10.0.3.1")
    assert _attempt(again, "fdupont", new).status_code == 302
    assert _logged_in(again)


# --- « Identifiant oublié » (issue 17, point 6) --------------------------------------------------------


def _oublie(client: Client, numen: str) -> Any:
    return client.post("/compte/identifiant-oublie/", {"numen": numen, "date_naissance": "14/03/1984"})


@pytest.fixture
def with_numen(db: None) -> Agent:
    agent = Agent.objects.create_user(nom="Dupont", prenom="Frédéric", numen="12E0312345ABC", email="f@example.org")
    agent.date_naissance = "1984-03-14"  # type: ignore[assignment]
    agent.save()
    return agent


def test_identifiant_oublie_is_rate_limited_per_numen_whether_it_matches_or_not(with_numen: Agent) -> None:
    for numen in ("12E0312345ABC", "99X9999999ZZZ"):
        answers = [_oublie(_from(f"10.0.4.{i}"), numen).status_code for i in range(1, 6)]
        assert answers == [302, 302, 302, 429, 429], numen
    assert len(mail.outbox) == 3  # not 170 e-mails to one teacher


def test_identifiant_oublie_is_rate_limited_per_address(db: None) -> None:
    client = _from("10.0.5.1")
    answers = [_oublie(client, f"12E03123{i:05d}").status_code for i in range(7)]
    assert answers == [302] * 5 + [429] * 2


def test_identifiant_oublie_leaves_the_mail_to_the_task_worker(with_numen: Agent, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()  # type: ignore[attr-defined]
    _oublie(Client(), "12E0312345ABC")
    assert mail.outbox == []  # nothing sent inside the request: no SMTP round-trip to time
    assert [r.task.name for r in default_task_backend.results] == ["send_identifiant_reminder"]  # type: ignore[attr-defined]
