"""post_courrier: idempotent by key, atomic, bulk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Agent
from iprof.courrier.models import Attachment, Categorie, Envoi, Message
from iprof.courrier.services import CourrierError, post_courrier

PDF = b"%PDF-1.4\n% a tiny but real-looking pdf\n"


def _post(recipients: object, key: str = "essai-1", **kwargs: object):  # type: ignore[no-untyped-def]
    return post_courrier(recipients=recipients, sujet="Résultats", corps="Bonjour.", key=key, **kwargs)  # type: ignore[arg-type]


def test_posting_creates_one_message_per_recipient(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(5)
    result = _post(ids)
    assert result.created == 5 and result.already_posted == 0 and result.total == 5
    assert sorted(Message.objects.filter(envoi_id=result.envoi_id).values_list("recipient_id", flat=True)) == ids
    assert Envoi.objects.get(pk=result.envoi_id).recipient_count == 5


def test_posting_the_same_key_twice_creates_nothing_new(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(5)
    first = _post(ids)
    rows = list(Message.objects.order_by("pk").values_list("pk", "recipient_id", "created_at"))
    second = _post(ids)
    assert second.created == 0 and second.already_posted == 5
    assert second.envoi_id == first.envoi_id
    assert list(Message.objects.order_by("pk").values_list("pk", "recipient_id", "created_at")) == rows
    assert Envoi.objects.count() == 1


def test_a_rerun_completes_an_envoi_that_reached_only_some_recipients(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(6)
    _post(ids[:2])
    result = _post(ids)
    assert (result.created, result.already_posted) == (4, 2)
    assert Message.objects.count() == 6
    assert Envoi.objects.get().recipient_count == 6


def test_a_key_reused_for_another_courrier_is_refused(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(2)
    _post(ids)
    with pytest.raises(CourrierError, match="a déjà servi"):
        post_courrier(recipients=ids, sujet="Autre chose", corps="Bonjour.", key="essai-1")
    assert Message.objects.count() == 2


def test_unknown_recipients_refuse_the_whole_envoi(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(2)
    with pytest.raises(CourrierError, match="Destinataires inconnus"):
        _post([*ids, 999_999])
    assert not Envoi.objects.exists() and not Message.objects.exists()


def test_recipients_may_be_a_queryset_agents_or_ids_and_duplicates_count_once(
    many_agents: Callable[..., list[int]],
) -> None:
    ids = many_agents(3)
    assert _post(Agent.objects.filter(pk__in=ids), key="qs").created == 3
    agents = list(Agent.objects.filter(pk__in=ids))
    assert _post([agents[0], ids[0], agents[1]], key="mixed").created == 2


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"sujet": " "}, "objet"),
        ({"corps": ""}, "texte"),
        ({"key": ""}, "clé"),
        ({"categorie": "inconnue"}, "Catégorie"),
        ({"attachments": [("a.pdf", "pas des octets", "application/pdf")]}, "Pièce jointe invalide"),
    ],
)
def test_invalid_input_is_refused_with_a_french_message_and_writes_nothing(
    many_agents: Callable[..., list[int]], kwargs: dict, error: str
) -> None:
    values = {"recipients": many_agents(1), "sujet": "Objet", "corps": "Texte", "key": "k", **kwargs}
    with pytest.raises(CourrierError, match=error):
        post_courrier(**values)
    assert not Envoi.objects.exists() and not Message.objects.exists()


def test_each_recipient_may_get_their_own_text(many_agents: Callable[..., list[int]]) -> None:
    a, b = many_agents(2)
    post_courrier(
        recipients=[a, b],
        sujet="Résultat du mouvement",
        corps={a: "Vous obtenez le lycée Blaise-Pascal.", b: "Vous conservez votre poste."},
        categorie=Categorie.RESULTAT,
        key="resultats",
    )
    assert Message.objects.get(recipient_id=a).corps == "Vous obtenez le lycée Blaise-Pascal."
    assert Message.objects.get(recipient_id=b).corps == "Vous conservez votre poste."


def test_a_missing_per_recipient_text_refuses_the_envoi(many_agents: Callable[..., list[int]]) -> None:
    a, b = many_agents(2)
    with pytest.raises(CourrierError, match="manquant"):
        post_courrier(recipients=[a, b], sujet="Résultat", corps={a: "Oui"}, key="resultats")
    assert not Envoi.objects.exists()


def test_a_shared_attachment_is_stored_once_and_given_to_everybody(
    many_agents: Callable[..., list[int]], settings: object
) -> None:
    ids = many_agents(3)
    _post(ids, attachments=[("note.pdf", PDF, "application/pdf")])
    pieces = Attachment.objects.all()
    assert pieces.count() == 3
    assert len({p.file.name for p in pieces}) == 1
    assert pieces[0].file.read() == PDF
    assert pieces[0].filename == "note.pdf" and pieces[0].size == len(PDF)


def test_per_recipient_attachments_reach_only_their_agent(many_agents: Callable[..., list[int]]) -> None:
    a, b = many_agents(2)
    _post(
        [a, b],
        attachments={a: [("confirmation-a.pdf", PDF + b"a", "application/pdf")]},
    )
    assert list(Attachment.objects.values_list("message__recipient_id", "filename")) == [(a, "confirmation-a.pdf")]


def test_filenames_are_reduced_to_a_safe_basename(many_agents: Callable[..., list[int]]) -> None:
    _post(many_agents(1), attachments=[("../../etc/pa\x00sswd.pdf", PDF, "application/pdf")])
    assert Attachment.objects.get().filename == "passwd.pdf"


def test_attachments_of_a_rerun_are_not_duplicated(many_agents: Callable[..., list[int]]) -> None:
    ids = many_agents(2)
    _post(ids[:1], attachments=[("note.pdf", PDF, "application/pdf")])
    _post(ids, attachments=[("note.pdf", PDF, "application/pdf")])
    assert Attachment.objects.count() == 2


def _queries_for(count: int, key: str, many_agents: Callable[..., list[int]]) -> int:
    ids = many_agents(count, prefix=key)
    with CaptureQueriesContext(connection) as ctx:
        post_courrier(
            recipients=ids,
            sujet="Objet",
            corps="Texte",
            key=key,
            attachments=[("note.pdf", PDF, "application/pdf")],
        )
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_number_of_recipients(
    many_agents: Callable[..., list[int]],
) -> None:
    small = _queries_for(3, "small", many_agents)
    large = _queries_for(400, "large", many_agents)
    assert large == small
    assert small <= 12


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_postings_of_one_key_create_each_message_once(many_agents: Callable[..., list[int]]) -> None:
    import threading

    from django.db import connections

    ids = many_agents(200)
    barrier = threading.Barrier(2)
    results: list[object] = []

    def post() -> None:
        try:
            barrier.wait()
            results.append(_post(ids, key="simultane"))
        except Exception as exc:  # collected and asserted below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.created for r in results) == [0, 200], results  # type: ignore[attr-defined]
    assert Message.objects.count() == 200 and Envoi.objects.count() == 1
