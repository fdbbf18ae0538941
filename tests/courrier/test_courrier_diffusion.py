"""The DRH posting page: a selection, a preview with the count, then one posting — whatever the clicks."""

from __future__ import annotations

import html
import re

from django.core import mail
from django.test import Client

from accounts.models import Agent
from dossier.models import Discipline
from iprof.courrier.models import Envoi, Message

FORM = {
    "selection": "discipline",
    "sujet": "Réunion d'information sur le mouvement",
    "corps": "Une réunion aura lieu le 4 décembre.\r\nVenez nombreux.",
    "categorie": "information",
}


def _login(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _form(**extra: str) -> dict[str, str]:
    return {**FORM, "param_discipline": str(Discipline.objects.get(code="L1300").pk), **extra}


def _preview(client: Client, **extra: str) -> tuple[str, dict[str, str]]:
    """Post the form, read back what the preview's send form would submit."""
    response = client.post("/courrier/diffusion/", _form(**extra))
    assert response.status_code == 200
    body = _text(response)
    send_form = body[body.index('data-testid="send-form"') :]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', send_form))
    return body, fields


def test_teachers_and_the_rectorat_cannot_post(client_a: Client, rectorat: Agent) -> None:
    assert client_a.get("/courrier/diffusion/").status_code == 403
    assert client_a.post("/courrier/diffusion/envoyer/", _form(key="diffusion-" + "0" * 32)).status_code == 403
    assert _login(rectorat).get("/courrier/diffusion/").status_code == 403
    assert not Message.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client: Client, db: None) -> None:
    for url in ("/courrier/diffusion/",):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
    assert client.post("/courrier/diffusion/envoyer/", {}).status_code == 302


def test_the_drh_sees_the_form_with_the_selections(drh: Agent) -> None:
    body = _text(_login(drh).get("/courrier/diffusion/"))
    for label in (
        "Un agent",
        "Les enseignants d'une discipline",
        "Les enseignants d'un établissement",
        "Les agents d'un corps",
        "Tous les enseignants",
    ):
        assert label in body


def test_the_preview_shows_the_recipient_count_and_posts_nothing(
    drh: Agent, teacher_a: Agent, teacher_b: Agent
) -> None:
    body, fields = _preview(_login(drh))
    assert "2 destinataires" in body
    assert "Discipline\u00a0: Mathématiques" in body
    assert re.fullmatch(r"diffusion-[0-9a-f]{32}", fields["key"])
    assert not Message.objects.exists() and not Envoi.objects.exists()


def test_sending_posts_once_even_when_the_button_is_pressed_twice(
    drh: Agent, teacher_a: Agent, teacher_b: Agent, django_capture_on_commit_callbacks
) -> None:
    client = _login(drh)
    _body, fields = _preview(client)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/courrier/diffusion/envoyer/", fields)
        second = client.post("/courrier/diffusion/envoyer/", fields)  # double submit, or the same tab reloaded
    assert first.status_code == second.status_code == 302
    assert Message.objects.count() == 2 and Envoi.objects.count() == 1
    assert len(mail.outbox) == 2
    envoi = Envoi.objects.get()
    assert (
        envoi.posted_by == drh and envoi.recipient_count == 2 and envoi.description == "Discipline\u00a0: Mathématiques"
    )
    message = Message.objects.get(recipient=teacher_a)
    assert message.corps == "Une réunion aura lieu le 4 décembre.\nVenez nombreux."
    assert message.sender is None and message.expediteur == "Rectorat — DRH"
    page = _text(client.get("/courrier/diffusion/"))
    assert "Réunion d'information sur le mouvement" in page  # in « Derniers envois »


def test_a_second_preview_is_a_second_posting(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    _body, first = _preview(client)
    _body, second = _preview(client)
    client.post("/courrier/diffusion/envoyer/", first)
    client.post("/courrier/diffusion/envoyer/", second)
    assert Envoi.objects.count() == 2


def test_one_agent_by_identifier(drh: Agent, teacher_a: Agent, teacher_b: Agent) -> None:
    client = _login(drh)
    response = client.post("/courrier/diffusion/", {**FORM, "selection": "agent", "param_agent": "inconnu"})
    assert "Aucun agent actif n'a l'identifiant « inconnu »." in _text(response)
    body, fields = _preview(client, selection="agent", param_agent=teacher_b.identifiant)
    assert "1 destinataire" in body
    client.post("/courrier/diffusion/envoyer/", fields)
    assert list(Message.objects.values_list("recipient", flat=True)) == [teacher_b.pk]


def test_a_selection_needs_its_parameter_and_an_empty_selection_is_refused(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    response = client.post("/courrier/diffusion/", {**FORM, "param_discipline": ""})
    assert "Précisez la sélection choisie." in _text(response)
    lettres = Discipline.objects.create(code="L0202", libelle="Lettres modernes")
    response = client.post("/courrier/diffusion/", _form(param_discipline=str(lettres.pk)))
    assert "Aucun destinataire ne correspond à cette sélection." in _text(response)


def test_a_tampered_key_or_form_posts_nothing(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    _body, fields = _preview(client)
    response = client.post("/courrier/diffusion/envoyer/", {**fields, "key": "siam-resultats"})
    assert response.status_code == 200 and "n'a pas été envoyé" in _text(response)
    response = client.post("/courrier/diffusion/envoyer/", {**fields, "sujet": ""})
    assert "Ce champ est obligatoire." in _text(response)
    assert not Message.objects.exists()


def test_the_same_key_with_another_text_is_refused(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    _body, fields = _preview(client)
    client.post("/courrier/diffusion/envoyer/", fields)
    response = client.post("/courrier/diffusion/envoyer/", {**fields, "sujet": "Autre objet"})
    assert "a déjà servi pour un autre courrier" in _text(response)
    assert Message.objects.count() == 1


def test_modifier_returns_to_the_filled_form(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    _body, fields = _preview(client)
    body = _text(client.post("/courrier/diffusion/", {**fields, "modifier": "1"}))
    assert 'value="Réunion d\'information sur le mouvement"' in body
    assert not Message.objects.exists()


def test_sending_refuses_get_and_requires_csrf(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    assert client.get("/courrier/diffusion/envoyer/").status_code == 405
    _body, fields = _preview(client)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(drh)
    assert strict.post("/courrier/diffusion/envoyer/", fields).status_code == 403
    assert not Message.objects.exists()


def test_another_app_plugs_in_its_own_selection(drh: Agent, teacher_a: Agent, teacher_b: Agent) -> None:
    from django import forms

    from iprof.courrier.selectors import _REGISTRY, RecipientSelector, register_selector

    register_selector(
        RecipientSelector(
            name="campagne",
            label="Participants d'une campagne SIAM",
            make_field=lambda: forms.ChoiceField(choices=[("intra-2027", "Intra 2027")], label="Campagne"),
            agents=lambda campagne: Agent.objects.filter(pk=teacher_b.pk),
            describe=lambda campagne: f"Participants de {campagne}",
        )
    )
    try:
        client = _login(drh)
        assert "Participants d'une campagne SIAM" in _text(client.get("/courrier/diffusion/"))
        body, fields = _preview(client, selection="campagne", param_campagne="intra-2027")
        assert "1 destinataire" in body and "Participants de intra-2027" in body
        client.post("/courrier/diffusion/envoyer/", fields)
        assert list(Message.objects.values_list("recipient", flat=True)) == [teacher_b.pk]
    finally:
        _REGISTRY.pop("campagne")


# --- a free message carries only the categories SIAM does not reserve ----------------------------------------


def test_the_diffusion_form_offers_only_information(drh: Agent) -> None:
    body = _text(_login(drh).get("/courrier/diffusion/"))
    categories = body[body.index('name="categorie"') : body.index("</select>", body.index('name="categorie"'))]
    assert 'value="information"' in categories
    assert 'value="resultat"' not in categories and 'value="accuse_reception"' not in categories


def test_a_forged_result_or_receipt_is_refused_at_preview_and_at_sending(drh: Agent, teacher_a: Agent) -> None:
    client = _login(drh)
    for categorie in ("resultat", "accuse_reception", "correspondance"):
        preview = _text(client.post("/courrier/diffusion/", _form(categorie=categorie)))
        assert "Un message libre ne peut être qu’une information." in preview, categorie
        client.post("/courrier/diffusion/envoyer/", _form(categorie=categorie, key="diffusion-" + "1" * 32))
    assert not Message.objects.exists() and not Envoi.objects.exists()
