"""Demo courrier for `make run`: a welcome message, an acknowledgement with a real PDF, an exchange.

Idempotent: postings go through post_courrier with fixed keys, so loading the demo twice adds nothing.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from accounts.models import Agent
from iprof.courrier.models import Categorie, Conversation
from iprof.courrier.services import post_courrier, start_conversation, write_in_conversation

BIENVENUE = """Bonjour,

Votre courrier I-Prof reçoit désormais les messages de la DRH et du rectorat : accusés de réception de vos demandes, réponses à vos demandes de correction de barème, résultats des mouvements.

Chaque nouveau message vous est signalé par un courriel qui n'en reproduit pas le contenu.

Pour une question sur votre dossier ou votre carrière, écrivez à votre correspondant de gestion depuis « Votre courrier ».

La Direction des ressources humaines"""

ACCUSE = """Bonjour,

Nous avons bien reçu votre confirmation de demande de mutation pour le mouvement inter-académique 2027, accompagnée de vos pièces justificatives.

Vous trouverez ci-joint l'accusé de réception récapitulant vos voeux. Votre barème sera affiché dans SIAM du 8 au 29 janvier 2027 ; vous pourrez alors en demander la correction.

La Direction des ressources humaines"""


def after_fixtures() -> None:
    teachers = Agent.objects.filter(is_staff=False, is_active=True)
    post_courrier(
        recipients=teachers, sujet="Bienvenue dans votre courrier I-Prof", corps=BIENVENUE, key="demo-bienvenue"
    )
    fdupont = Agent.objects.filter(identifiant="fdupont").first()
    if fdupont is None:
        return
    post_courrier(
        recipients=[fdupont.pk],
        sujet="Accusé de réception de votre confirmation de demande — inter 2027",
        corps=ACCUSE,
        categorie=Categorie.ACCUSE_RECEPTION,
        key="demo-accuse-inter-2027-fdupont",
        attachments=[("accuse-reception-inter-2027.pdf", _accuse_pdf(fdupont), "application/pdf")],
    )
    gestionnaire = Agent.objects.filter(identifiant="cgestion").first()
    if gestionnaire is not None and not Conversation.objects.filter(agent=fdupont).exists():
        conversation = start_conversation(
            agent=fdupont,
            sujet="Date de passage au 7e échelon",
            corps="Bonjour,\n\nMon dossier indique le 7e échelon au 1er septembre 2023 ; mon arrêté de promotion "
            "mentionne le 1er mars 2023. Pouvez-vous vérifier ?\n\nCordialement,\nFrédéric Dupont",
        )
        write_in_conversation(
            conversation=conversation,
            author=gestionnaire,
            corps="Bonjour Monsieur Dupont,\n\nVous avez raison : la date d'effet est bien le 1er mars 2023. "
            "Votre dossier est corrigé et votre barème en tiendra compte.\n\nClaire Gestion, DPE 2",
        )


def _accuse_pdf(agent: Agent) -> bytes:
    from weasyprint import HTML

    html = render_to_string("courrier/pdf/accuse_demo.html", {"agent": agent})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
