"""Staff export the barèmes of the filtered demandes (CSV, XLSX): one row per vœu, its total and its lines,
a cell that would run as a formula neutralised."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from accounts.models import Agent
from siam.models import Demande
from siam.services.bareme import recompute_baremes
from tests.factories import make_staff
from tests.siam.bareme_cast import (
    SANS_FAMILLE,
    VOEU_1,
    academies,  # noqa: F401
    dossier_rc,  # noqa: F401
    inter_demande,
)
from tests.siam.conftest import APRES, client_for

pytestmark = pytest.mark.django_db

FIELDS = ("identifiant", "nom", "prenom", "discipline", "campagne", "rang", "voeu", "total", "definitif", "lignes")
HOSTILE = '=HYPERLINK("http://x.example/","clic")'
EXPORT = "/admin/siam/demande/export/"


def export(staff: Any, query: str, fmt: int) -> Any:
    data = {"resource": "1", "format": str(fmt), **{f"baremeresource_{f}": "on" for f in FIELDS}}
    return staff.post(f"{EXPORT}?{query}", data)


@pytest.fixture
def computed(teacher_b: Agent, dossier_rc: Demande, academies: dict[str, Any], at: Any) -> Demande:
    """teacher_a's inter demande with its barèmes stored, a hostile nom; teacher_b's too (filtered out below)."""
    Agent.objects.filter(pk=dossier_rc.agent_id).update(nom=HOSTILE)
    inter_demande(teacher_b, dossier_rc.campagne, academies, rc=None)
    at(APRES)
    recompute_baremes(campagne=dossier_rc.campagne)
    return dossier_rc


def test_the_csv_export_has_one_row_per_voeu_with_its_total_and_lines(computed: Demande, rectorat: Agent) -> None:
    query = f"campagne__id__exact={computed.campagne_id}&q={computed.agent.identifiant}"  # teacher_a's only
    response = export(client_for(rectorat, staff=True), query, 0)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["rang"], r["vœu"]) for r in rows] == [
        ("1", "académie — Lyon"),
        ("2", "académie — Grenoble"),
        ("3", "académie — Paris"),
    ]
    assert [Decimal(r["barème"]) for r in rows] == [VOEU_1, VOEU_1, SANS_FAMILLE]
    assert {r["nom"] for r in rows} == {"'" + HOSTILE}  # shown as text by the spreadsheet, never run
    assert {r["identifiant"] for r in rows} == {computed.agent.identifiant}
    assert "150,2 points (retenue)" in rows[0]["lignes du barème"]  # the RC, on the conjoint's académie
    assert "150,2 points (retenue)" not in rows[2]["lignes du barème"]  # not on Paris
    assert rows[0]["lignes du barème"].count(" ; ") >= 4  # échelon, poste, RC, enfants, séparation


def test_the_xlsx_export_holds_text_cells_not_formulas(computed: Demande, rectorat: Agent) -> None:
    response = export(client_for(rectorat, staff=True), f"campagne__id__exact={computed.campagne_id}", 1)
    # the three vœux of each of the two demandes: teacher_b's below teacher_a's hostile nom
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert "'" + HOSTILE in [c.value for c in cells]
    assert sheet.max_row == 7  # the header and six vœux


def test_the_export_costs_a_fixed_number_of_queries(
    computed: Demande, rectorat: Agent, django_assert_max_num_queries: Any
) -> None:
    staff = client_for(rectorat, staff=True)
    with django_assert_max_num_queries(10):
        assert export(staff, "", 0).status_code == 200


def test_the_drh_may_export_baremes_and_a_staff_member_without_the_view_right_may_not(
    computed: Demande, drh: Agent
) -> None:
    assert export(client_for(drh, staff=True), "", 0).status_code == 200
    assert export(client_for(make_staff("Sans", "Droit"), staff=True), "", 0).status_code == 403
