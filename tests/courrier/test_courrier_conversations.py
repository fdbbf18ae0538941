"""A teacher writes to their correspondant de gestion; the rectorat answers; the thread stays private."""

from __future__ import annotations

import html

from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Agent
from dossier.models import Departement, Discipline
from iprof.courrier.models import Conversation, CorrespondantGestion, Message
from lib.roles import RECTORAT
from tests.factories import make_staff

PDF = b"%PDF-1.4\n%%EOF\n"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _login(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _write(client: Client, sujet: str = "Erreur sur mon échelon", **extra: object):  # type: ignore[no-untyped-def]
    data = {"sujet": sujet, "corps": "Mon échelon est le 8e depuis le 1er septembre.", **extra}
    return client.post("/courrier/correspondant/nouveau/", data)


def test_a_teacher_writes_to_their_correspondant(client_a: Client, teacher_a: Agent, correspondant) -> None:  # type: ignore[no-untyped-def]
    response = _write(client_a)
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/courrier/correspondant/{conversation.pk}/"
    assert conversation.agent == teacher_a and conversation.correspondant == correspondant
    message = conversation.messages.get()
    assert message.recipient is None and message.sender == teacher_a
    body = _text(client_a.get(response["Location"]))
    assert "Mon échelon est le 8e" in body and "Pas encore lu par le correspondant" in body


def test_the_most_specific_correspondant_is_chosen(teacher_a: Agent, rectorat: Agent, correspondant) -> None:  # type: ignore[no-untyped-def]
    maths = Discipline.objects.get(code="L1300")
    puy_de_dome = Departement.objects.get(code="063")
    by_dep = CorrespondantGestion.objects.create(libelle="Puy-de-Dôme", departement=puy_de_dome, agent=rectorat)
    assert CorrespondantGestion.objects.for_agent(teacher_a) == by_dep
    by_discipline = CorrespondantGestion.objects.create(libelle="Maths", discipline=maths, agent=rectorat)
    assert CorrespondantGestion.objects.for_agent(teacher_a) == by_discipline
    both = CorrespondantGestion.objects.create(
        libelle="Maths 63", discipline=maths, departement=puy_de_dome, agent=rectorat
    )
    assert CorrespondantGestion.objects.for_agent(teacher_a) == both
    other = Discipline.objects.create(code="L0202", libelle="Lettres modernes")
    CorrespondantGestion.objects.filter(pk=both.pk).update(discipline=other)
    assert CorrespondantGestion.objects.for_agent(teacher_a) == by_discipline


def test_without_a_correspondant_the_teacher_is_told_whom_to_contact(client_a: Client) -> None:
    assert "Aucun correspondant de gestion" in _text(client_a.get("/courrier/correspondant/"))
    response = _write(client_a)
    assert response.status_code == 200
    assert "Aucun correspondant de gestion n'est désigné" in _text(response)
    assert not Conversation.objects.exists()


def test_errors_are_explained_in_french_and_nothing_is_written(client_a: Client, correspondant) -> None:  # type: ignore[no-untyped-def]
    response = client_a.post("/courrier/correspondant/nouveau/", {"sujet": "", "corps": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in _text(response)
    response = _write(client_a, sujet="x" * 201)
    assert "au plus 200 caractères" in _text(response)
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_only_pdf_jpeg_or_png_may_be_attached(client_a: Client, correspondant) -> None:  # type: ignore[no-untyped-def]
    fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = _write(client_a, piece_jointe=fake)
    assert "Seuls les fichiers PDF, JPEG ou PNG sont acceptés." in _text(response)
    assert not Conversation.objects.exists()
    real = SimpleUploadedFile("arrete.pdf", PDF, content_type="application/octet-stream")
    _write(client_a, piece_jointe=real)
    piece = Message.objects.get().attachments.get()
    assert piece.content_type == "application/pdf" and piece.filename == "arrete.pdf"
    assert client_a.get(f"/courrier/pieces-jointes/{piece.pk}/").status_code == 200


def test_the_rectorat_sees_answers_and_the_teacher_is_notified(
    client_a: Client,
    teacher_a: Agent,
    rectorat: Agent,
    correspondant,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    _write(client_a)
    conversation = Conversation.objects.get()
    staff = _login(rectorat)
    listing = _text(staff.get("/courrier/gestion/"))
    assert "Erreur sur mon échelon" in listing and "Non lu" in listing
    assert staff.get(f"/courrier/gestion/{conversation.pk}/").status_code == 200
    assert conversation.messages.get().read_at is not None  # read by the correspondant
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/courrier/gestion/{conversation.pk}/", {"corps": "C'est corrigé, merci."})
    assert response.status_code == 302
    reply = Message.objects.get(recipient=teacher_a)
    assert reply.sender == rectorat and reply.conversation == conversation
    assert [m.to for m in mail.outbox] == [[teacher_a.email]]
    inbox = _text(client_a.get("/courrier/"))
    assert "Réponse\u00a0: Erreur sur mon échelon" in inbox
    thread = _text(client_a.get(f"/courrier/correspondant/{conversation.pk}/"))
    assert "C'est corrigé, merci." in thread
    assert Message.objects.get(pk=reply.pk).read_at is not None


def test_the_teacher_replies_in_the_thread(client_a: Client, correspondant) -> None:  # type: ignore[no-untyped-def]
    _write(client_a)
    conversation = Conversation.objects.get()
    response = client_a.post(f"/courrier/correspondant/{conversation.pk}/", {"corps": "J'ajoute mon arrêté."})
    assert response.status_code == 302
    assert conversation.messages.count() == 2
    assert not conversation.messages.filter(recipient__isnull=False).exists()


def test_another_teacher_gets_404_on_the_thread(client_a: Client, client_b: Client, correspondant) -> None:  # type: ignore[no-untyped-def]
    _write(client_a)
    conversation = Conversation.objects.get()
    assert client_b.get(f"/courrier/correspondant/{conversation.pk}/").status_code == 404
    assert client_b.post(f"/courrier/correspondant/{conversation.pk}/", {"corps": "intrus"}).status_code == 404
    assert "Erreur sur mon échelon" not in _text(client_b.get("/courrier/correspondant/"))
    assert conversation.messages.count() == 1


def test_staff_outside_the_correspondant_get_404_and_teachers_403(
    client_a: Client,
    correspondant,
    drh: Agent,  # type: ignore[no-untyped-def]
) -> None:
    _write(client_a)
    conversation = Conversation.objects.get()
    other_group = Group.objects.create(name="Autre bureau")
    other_group.permissions.set(Group.objects.get(name=RECTORAT).permissions.all())
    outsider = make_staff("Paul", "Ailleurs", "Autre bureau")
    assert _login(outsider).get(f"/courrier/gestion/{conversation.pk}/").status_code == 404
    assert "Erreur sur mon échelon" not in _text(_login(outsider).get("/courrier/gestion/"))
    assert _login(drh).get("/courrier/gestion/").status_code == 403  # DRH: no answering role
    assert client_a.get("/courrier/gestion/").status_code == 403
    assert client_a.get(f"/courrier/gestion/{conversation.pk}/").status_code == 403


def test_conversation_pages_refuse_anonymous_and_wrong_methods(
    client: Client,
    client_a: Client,
    rectorat: Agent,
    correspondant,  # type: ignore[no-untyped-def]
) -> None:
    _write(client_a)
    pk = Conversation.objects.get().pk
    for url in (
        "/courrier/correspondant/",
        "/courrier/correspondant/nouveau/",
        f"/courrier/correspondant/{pk}/",
        "/courrier/gestion/",
        f"/courrier/gestion/{pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/"), url
    assert client_a.post("/courrier/correspondant/").status_code == 405
    assert client_a.put(f"/courrier/correspondant/{pk}/").status_code == 405
    assert _login(rectorat).post("/courrier/gestion/").status_code == 405


def test_writing_requires_the_csrf_token(teacher_a: Agent, correspondant) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    assert _write(client).status_code == 403
    assert not Conversation.objects.exists()


def test_the_correspondant_downloads_what_the_teacher_attached_and_nobody_else(
    client_a: Client,
    client_b: Client,
    rectorat: Agent,
    drh: Agent,
    correspondant,  # type: ignore[no-untyped-def]
) -> None:
    _write(client_a, piece_jointe=SimpleUploadedFile("arrete.pdf", PDF))
    url = f"/courrier/pieces-jointes/{Message.objects.get().attachments.get().pk}/"
    assert _login(rectorat).get(url).status_code == 200
    assert client_b.get(url).status_code == 404
    assert _login(drh).get(url).status_code == 404  # the DRH reads postings, not exchanges


def test_the_exchange_lists_need_few_queries_whatever_their_length(
    client_a: Client,
    rectorat: Agent,
    correspondant,  # type: ignore[no-untyped-def]
    django_assert_max_num_queries,
) -> None:
    staff = _login(rectorat)
    _write(client_a, sujet="Premier")
    client_a.get("/courrier/correspondant/")
    staff.get("/courrier/gestion/")
    with django_assert_max_num_queries(9) as captured:
        client_a.get("/courrier/correspondant/")
    teacher_few = len(captured.captured_queries)  # read now: every request empties Django's query log
    with django_assert_max_num_queries(10) as captured:
        staff.get("/courrier/gestion/")
    staff_few = len(captured.captured_queries)
    assert teacher_few >= 5 and staff_few >= 5  # the captures saw the pages
    for i in range(15):
        _write(client_a, sujet=f"Échange {i}")
    with django_assert_max_num_queries(teacher_few):
        client_a.get("/courrier/correspondant/")
    with django_assert_max_num_queries(staff_few):
        staff.get("/courrier/gestion/")
