"""The campagne admin page draws the saves per day of the saisie: SVG without script, and its table."""

from __future__ import annotations

import re

import pytest

from accounts.models import Agent
from siam.admin.charts import HEIGHT, bars
from siam.models import Campagne, Demande, DemandeVersion
from tests.factories import make_teacher
from tests.siam.conftest import client_for, paris, text

pytestmark = pytest.mark.django_db


def test_bars_are_scaled_to_the_busiest_day() -> None:
    drawn = bars([("01/03", 1), ("02/03", 4), ("03/03", 0)])
    assert [b.height for b in drawn] == [HEIGHT / 4, HEIGHT, 0]
    assert [b.y for b in drawn] == [HEIGHT * 3 / 4, 0, HEIGHT]
    assert drawn[0].x < drawn[1].x < drawn[2].x
    assert bars([]) == []


def test_the_campagne_page_shows_the_closing_day_wave_with_a_table(intra: Campagne, rectorat: Agent) -> None:
    days = {paris(2027, 3, 2, 10): 1, paris(2027, 3, 9, 23, 30): 3}
    for moment, n in days.items():
        for i in range(n):
            demande = Demande.objects.create(agent=make_teacher("Agent", f"Jour{moment.day}{i}"), campagne=intra)
            version = DemandeVersion.objects.create(demande=demande, version=1, action="ajout", contenu={})
            DemandeVersion.objects.filter(pk=version.pk).update(date=moment)
    page = client_for(rectorat, staff=True).get(f"/admin/siam/campagne/{intra.pk}/change/")
    html = page.content.decode()
    figure = html.split('data-testid="chart-saves"', 1)[1].split("</figure>", 1)[0]
    assert 'role="img"' in figure and "<script" not in figure and "style=" not in figure
    assert len(re.findall(r"<rect ", figure)) == 2
    table = text(page).split("tableau équivalent", 1)[1]
    assert re.search(r"02/03</th><td>1</td>.*09/03</th><td>3</td>", table.replace("\n", ""))
    assert "4 en tout" in text(page)
