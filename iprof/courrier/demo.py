"""Demo courrier for `make run`: a welcome message and an exchange with the correspondant de gestion.

Idempotent: postings go through post_courrier with fixed keys, so loading the demo twice adds nothing.
"""

from __future__ import annotations

from accounts.models import Agent
from iprof.courrier.models import Conversation, Envoi, Message
from iprof.courrier.services import post_courrier, start_conversation, write_in_conversation

BIENVENUE = """Bonjour,

Votre courrier I-Prof reçoit désormais les messages de la DRH et du rectorat : accusés de réception de vos demandes, réponses à vos demandes de correction de barème, résultats des mouvements.

Chaque nouveau message vous est signalé par un courriel qui n'en reproduit pas le contenu.

Pour une question sur votre dossier ou votre carrière, écrivez à votre correspondant de gestion depuis « Votre courrier ».

La Direction des ressources humaines"""

# Retired demo postings: an accusé de réception for an inter demande SIAM's demo does not hold (the
# saisie is open in the demo, accusés leave at its closing), removed from databases loaded before.
RETIRED_KEYS = ("demo-accuse-inter-2027-fdupont",)

# fdupont's question and the answer agree with fixtures/30_dossiers.json: 8e échelon on 1 March 2025.
QUESTION_ECHELON = (
    "Bonjour,\n\nMon dossier indique le 8e échelon au 1er mars 2025 ; je pensais l'avoir obtenu au "
    "1er septembre 2024. Pouvez-vous vérifier ?\n\nCordialement,\nFrédéric Dupont"
)
REPONSE_ECHELON = (
    "Bonjour Monsieur Dupont,\n\nVérification faite, la date d'effet de votre 8e échelon est bien le "
    "1er mars 2025, conformément à votre arrêté de promotion : votre dossier est exact et votre barème "
    "en tient compte.\n\nClaire Gestion, DPE 2"
)


def after_fixtures() -> None:
    teachers = Agent.objects.filter(is_staff=False, is_active=True)
    post_courrier(
        recipients=teachers, sujet="Bienvenue dans votre courrier I-Prof", corps=BIENVENUE, key="demo-bienvenue"
    )
    fdupont = Agent.objects.filter(identifiant="fdupont").first()
    if fdupont is None:
        return
    _retire_old_postings()
    Conversation.objects.filter(agent=fdupont, sujet="Date de passage au 7e échelon").delete()  # the old story
    gestionnaire = Agent.objects.filter(identifiant="cgestion").first()
    if gestionnaire is not None and not Conversation.objects.filter(agent=fdupont).exists():
        conversation = start_conversation(agent=fdupont, sujet="Date de passage au 8e échelon", corps=QUESTION_ECHELON)
        write_in_conversation(conversation=conversation, author=gestionnaire, corps=REPONSE_ECHELON)


def _retire_old_postings() -> None:
    for envoi in Envoi.objects.filter(key__in=RETIRED_KEYS):
        Message.objects.filter(envoi=envoi).delete()
        envoi.delete()
