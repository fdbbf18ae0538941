"""Staff export the filtered list of demandes in CSV and XLSX; a cell that would run as a formula does not."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from accounts.models import Agent
from lib.exports import neutralise
from siam.models import Campagne, Demande
from tests.factories import make_teacher
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db

FIELDS = ("identifiant", "nom", "prenom", "campagne", "etat", "participation", "nb_voeux", "modifiee_le")
HOSTILE = '=HYPERLINK("http://x.example/","clic")'


def export(staff: Any, query: str, fmt: int) -> Any:
    data = {"resource": "0", "format": str(fmt), **{f"demanderesource_{f}": "on" for f in FIELDS}}
    response = staff.post(f"/admin/siam/demande/export/?{query}", data)
    assert response.status_code == 200
    return response


@pytest.fixture
def demandes(intra: Campagne, inter: Campagne) -> dict[str, Agent]:
    hostile = make_teacher("@SUM(1+1)", HOSTILE)
    plain = make_teacher("Hélène", "Lefèvre")
    Demande.objects.create(agent=hostile, campagne=intra)
    Demande.objects.create(agent=plain, campagne=intra)
    Demande.objects.create(agent=plain, campagne=inter)
    return {"hostile": hostile, "plain": plain}


def test_the_csv_export_holds_the_filtered_rows_with_formulas_neutralised(
    demandes: dict[str, Agent], intra: Campagne, rectorat: Agent
) -> None:
    response = export(client_for(rectorat, staff=True), f"campagne__id__exact={intra.pk}", 0)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["nom"] for r in rows) == ["'" + HOSTILE, "Lefèvre"]
    hostile = next(r for r in rows if r["identifiant"] == demandes["hostile"].identifiant)
    assert hostile["prénom"] == "'@SUM(1+1)" and hostile["campagne"] == "intra-2027"
    assert {r["état"] for r in rows} == {"en cours de saisie"}


def test_the_xlsx_export_holds_text_cells_not_formulas(
    demandes: dict[str, Agent], intra: Campagne, rectorat: Agent
) -> None:
    response = export(client_for(rectorat, staff=True), f"campagne__id__exact={intra.pk}", 1)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + HOSTILE in [c.value for c in cells]
    assert sheet.max_row == 3  # header and the two intra demandes


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+33 4", "'+33 4"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("a=b", "a=b"), (3, 3)],
)
def test_neutralise(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


def test_a_staff_member_without_view_right_may_not_export(demandes: dict[str, Agent]) -> None:
    from tests.factories import make_staff

    staff = client_for(make_staff("Sans", "Droit"), staff=True)
    assert staff.get("/admin/siam/demande/export/").status_code == 403
