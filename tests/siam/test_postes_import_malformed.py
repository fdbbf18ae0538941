"""Issue 17, point 5: the postes import answers malformed CSV with line-numbered French errors, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Agent
from siam.models import Campagne, Poste
from tests.siam.conftest import text

pytestmark = pytest.mark.django_db

HEADER = "discipline;lieu;nombre;susceptible;profil\n"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(
            (HEADER + "L1300;0630018C;2;non;\nL1300;0631018P;1;non;" + "x" * 200_000 + "\n").encode(),
            "Ligne 3 : Une cellule dépasse 131\u202f072 caractères",
            id="huge-cell",
        ),
        pytest.param(
            (HEADER + "L1300;0630018C;2;non;\nL1300;0631018P;1;no\x00n;\n").encode(),
            "Ligne 3 : La ligne contient un caractère nul (NUL)",
            id="nul",
        ),
        pytest.param(
            HEADER.encode() + b"L1300;0630018C;2;non;\nL1300;0631018P;1;non;Allemand \x81\n",
            "Le fichier doit être encodé en UTF-8",  # the admin form refuses it before parsing (siam/admin)
            id="bad-encoding",
        ),
    ],
)
def test_malformed_csv_is_refused_line_by_line(intra: Campagne, rectorat: Agent, raw: bytes, message: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(rectorat)
    response = client.post(
        "/admin/siam/poste/importer/", {"campagne": intra.pk, "fichier": SimpleUploadedFile("postes.csv", raw)}
    )
    assert response.status_code == 200
    assert message in text(response).replace("\u00a0", " ")
    assert not Poste.objects.exists()
