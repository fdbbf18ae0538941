"""Issue 17, point 5: malformed CSV gets line-numbered French errors, never a 500 (both importers)."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import Etablissement
from dossier.services.imports import EtablissementImporter

HEADER = "uai;nom;type;commune_insee;education_prioritaire\n"
MALFORMED = [
    pytest.param(
        (HEADER + "0630019D;Lycée;LGT;63113;\n" + "0630020E;" + "x" * 200_000 + ";LGT;63113;\n").encode(),
        "Ligne 3\u00a0: une cellule dépasse 131\u202f072 caractères",
        id="huge-cell",
    ),
    pytest.param(
        (HEADER + "0630019D;Lycée;LGT;63113;\n0630020E;Ly\x00cée;LGT;63113;\n").encode(),
        "Ligne 3\u00a0: la ligne contient un caractère nul (NUL)",
        id="nul",
    ),
    pytest.param(
        HEADER.encode() + b"0630019D;Lyc\xe9e;LGT;63113;\n0630020E;Lyc\x81e;LGT;63113;\n",
        "Ligne 3\u00a0: caractères illisibles",
        id="bad-encoding",
    ),
]


@pytest.mark.parametrize(("raw", "message"), MALFORMED)
def test_the_service_names_the_line(db: None, raw: bytes, message: str) -> None:
    from dossier.services.imports import decode_upload

    preview = EtablissementImporter().preview(decode_upload(raw))
    assert any(str(e).startswith(message) for e in preview.errors), [str(e) for e in preview.errors]
    assert not preview.ok


@pytest.mark.parametrize(("raw", "message"), MALFORMED)
def test_the_staff_upload_answers_in_french_and_writes_nothing(rectorat: Agent, raw: bytes, message: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(rectorat)
    before = Etablissement.objects.count()
    response = client.post(
        reverse("admin:dossier_etablissement_import"),
        {"fichier": SimpleUploadedFile("import.csv", raw, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert Etablissement.objects.count() == before
