"""lib.prepared: a QuerySet's SQL compiled once, run again with new values — never a result kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import CharField, IntegerField, QuerySet

from accounts.models import Agent
from dossier.models import Dossier
from lib.prepared import Param, PreparedQuery
from siam.models import Campagne, Demande
from tests.factories import make_teacher

pytestmark = pytest.mark.django_db


def dossiers() -> QuerySet[Dossier]:
    return Dossier.objects.select_related("grade", "etablissement__commune").filter(
        agent=Param("agent", IntegerField())
    )


def test_each_run_sends_the_new_values_and_reads_the_current_rows(django_assert_num_queries: Any) -> None:
    a, b = make_teacher("Anne", "Aubert"), make_teacher("Bruno", "Blanc")
    prepared = PreparedQuery(dossiers)
    with django_assert_num_queries(1):
        assert [d.agent_id for d in prepared.fetch(agent=a.pk)] == [a.pk]
    assert [d.agent_id for d in prepared.fetch(agent=b.pk)] == [b.pk]
    Dossier.objects.filter(agent=b).update(adresse="12 rue Neuve")
    with django_assert_num_queries(1):
        assert prepared.fetch(agent=b.pk)[0].adresse == "12 rue Neuve"  # a query each time, nothing kept


def test_rows_are_the_orm_s_own_instances_with_their_related_objects(django_assert_num_queries: Any) -> None:
    agent = make_teacher()
    expected = Dossier.objects.select_related("grade", "etablissement__commune").get(agent=agent)
    with django_assert_num_queries(1):
        dossier = PreparedQuery(dossiers).first(agent=agent.pk)
        assert dossier is not None
        assert dossier.grade.libelle == expected.grade.libelle  # select_related: no query of its own
        assert dossier.etablissement is not None and expected.etablissement is not None
        assert dossier.etablissement.commune.nom == expected.etablissement.commune.nom
    fields = [f.attname for f in Dossier._meta.concrete_fields]
    assert [getattr(dossier, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert dossier._state.adding is False and dossier._state.db == "default"


def test_annotations_and_converted_columns_come_back_as_the_orm_gives_them() -> None:
    agent = make_teacher()
    campagne = Campagne.objects.create(
        slug="inter-2030", kind="inter", year=2030, libelle="Inter 2030", **_calendar()
    )  # fmt: skip
    Demande.objects.create(agent=agent, campagne=campagne, participation_raisons=["stagiaire", "provisoire"])
    prepared = PreparedQuery(lambda: Demande.objects.filter(agent=Param("agent", IntegerField())).with_nb_voeux())
    (demande,) = prepared.fetch(agent=agent.pk)
    assert demande.nb_voeux == 0  # type: ignore[attr-defined]
    assert demande.participation_raisons == ["stagiaire", "provisoire"]  # a JSONField: its converter ran
    values = PreparedQuery(lambda: Campagne.objects.filter(slug=Param("slug", CharField())).values("slug", "year"))
    assert values.fetch(slug="inter-2030") == [{"slug": "inter-2030", "year": 2030}]
    assert values.first(slug="absente") is None


def test_a_missing_value_is_refused_and_prefetch_is_not_prepared() -> None:
    with pytest.raises(TypeError, match="agent"):
        PreparedQuery(dossiers).fetch()
    prefetching = PreparedQuery(lambda: Agent.objects.prefetch_related("demandes"))
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching.fetch()


def test_the_sql_is_compiled_once() -> None:
    agent = make_teacher()
    built: list[int] = []

    def build() -> QuerySet[Dossier]:
        built.append(1)
        return dossiers()

    prepared = PreparedQuery(build)
    for _ in range(3):
        prepared.fetch(agent=agent.pk)
    assert built == [1]


def _calendar() -> dict[str, Any]:
    from tests.siam.conftest import CALENDRIER

    return dict(CALENDRIER)


def test_a_json_row_gives_the_instance_from_db_gives_dates_as_dates_and_refuses_columns_out_of_order() -> None:
    import datetime

    from dossier.models import Enfant
    from lib.prepared import JsonRow

    row = JsonRow(Enfant, ("id", "dossier_id", "prenom", "date_naissance"))
    enfant = row.instance("default", [7, 3, "Léa", "2015-06-01"])  # as a JSON array of PostgreSQL gives them
    assert (enfant.pk, enfant.dossier_id, enfant.prenom) == (7, 3, "Léa")
    assert enfant.date_naissance == datetime.date(2015, 6, 1)
    assert not enfant._state.adding and enfant._state.db == "default"
    with pytest.raises(ValueError, match="model's order"):  # from_db would put the values in the wrong fields
        JsonRow(Enfant, ("id", "prenom", "dossier_id", "date_naissance"))


def _as_from_db(instance: Any) -> tuple[dict[str, Any], bool, str | None]:
    values = {k: v for k, v in instance.__dict__.items() if k != "_state"}
    return values, instance._state.adding, instance._state.db


def test_a_json_row_builds_what_from_db_builds_for_every_model_the_save_reads() -> None:
    """The instances JsonRow makes without Model.__init__ (issue 14) are from_db's: same values, same state, the
    columns not read deferred; a model with a post_init receiver, or a FileField, goes through from_db."""
    import datetime

    from django.db.models.signals import post_init

    from dossier.models import Enfant
    from lib.prepared import JsonRow, _plain
    from siam.models import PieceJustificative
    from siam.selectors import _DOSSIER_TREE, _MOTIFS_TREE, _VOEUX_TREE

    models = {model for tree in (_VOEUX_TREE, _DOSSIER_TREE, _MOTIFS_TREE) for _p, model, _i, _f in tree.nodes}
    assert len(models) >= 10 and all(_plain(model) for model in models)
    assert not _plain(PieceJustificative)  # its fichier's attribute is a FileDescriptor
    row = JsonRow(Enfant, ("id", "dossier_id", "date_naissance"))  # prenom not read: deferred, as from_db leaves it
    made = row.instance("other", [7, 3, "2015-06-01"])
    expected = Enfant.from_db("other", ("id", "dossier_id", "date_naissance"), [7, 3, datetime.date(2015, 6, 1)])
    assert _as_from_db(made) == _as_from_db(expected)
    assert _as_from_db(made) == (
        {"id": 7, "dossier_id": 3, "date_naissance": datetime.date(2015, 6, 1)},
        False,
        "other",
    )
    assert made.get_deferred_fields() == {"prenom"}

    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Enfant)
    _plain.cache_clear()
    try:
        built = row.instance("default", [8, 3, "2016-01-02"])
        assert seen == [built]  # from_db ran Model.__init__, which sent post_init
    finally:
        post_init.disconnect(receiver, sender=Enfant)
        _plain.cache_clear()
