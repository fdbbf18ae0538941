from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import Agent


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("court-11car", False),  # 11 characters
        ("douze-carac", False),
        ("tout en minuscules sans chiffres", True),  # no composition rule
        ("x" * 12 + "qwz", True),
        ("a" * 128 + "b", False),  # over 128
        ("Fdupont-2024-secret", False),  # identifier
        ("Mon-nom-est-DUPONT!", False),  # nom
        ("frédéric aime les maths", False),  # prénom, accent folded
        ("mon academie preferee", False),
        ("vive l'Académie !!", False),
        ("I-Prof c'est super", False),
        ("iprof2026secure", False),
        ("password12345678", False),  # common
    ],
)
def test_password_policy(password: str, accepted: bool, teacher_a: Agent) -> None:
    if accepted:
        validate_password(password, teacher_a)
    else:
        with pytest.raises(ValidationError):
            validate_password(password, teacher_a)


def test_password_change_needs_the_current_one_and_ends_other_sessions(teacher_a: Agent, password: str) -> None:
    other = Client()
    other.force_login(teacher_a)
    assert other.get("/").status_code == 200
    me = Client()
    me.force_login(teacher_a)
    wrong = me.post(
        "/compte/password/change/",
        {
            "oldpassword": "not-my-password-1",
            "password1": "une phrase assez longue",
            "password2": "une phrase assez longue",
        },
    )
    assert wrong.status_code == 200
    teacher_a.refresh_from_db()
    assert teacher_a.check_password(password)
    ok = me.post(
        "/compte/password/change/",
        {"oldpassword": password, "password1": "une phrase assez longue", "password2": "une phrase assez longue"},
    )
    assert ok.status_code == 302
    assert me.get("/").status_code == 200  # this session continues
    response = other.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_production_hashes_passwords_with_argon2id() -> None:
    from accounts.hashers import IProfArgon2PasswordHasher
    from iprof import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == "accounts.hashers.IProfArgon2PasswordHasher"
    encoded = IProfArgon2PasswordHasher().encode("une phrase assez longue", IProfArgon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=47104,t=1,p=1$")
    assert IProfArgon2PasswordHasher().verify("une phrase assez longue", encoded)
