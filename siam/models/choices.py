"""Enumerations shared by the SIAM models, forms and services."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from siam.calendar import Phase as CorePhase


class CampagneKind(models.TextChoices):
    INTER = "inter", _("mouvement inter-académique")
    INTRA = "intra", _("mouvement intra-académique")
    SPEN = "spen", _("mouvement spécifique national (SPEN)")
    SPEA = "spea", _("mouvement spécifique académique (SPEA)")


class TypeVoeu(models.TextChoices):
    ETB = "ETB", _("établissement")
    COM = "COM", _("commune")
    GEO = "GEO", _("groupement de communes")
    DPT = "DPT", _("département")
    ACA = "ACA", _("académie")
    ZRE = "ZRE", _("zone de remplacement")
    ZRD = "ZRD", _("zones de remplacement du département")
    ZRA = "ZRA", _("zones de remplacement de l'académie")


# The établissement type filter only makes sense on a voeu covering several établissements.
TYPES_AVEC_FILTRE = frozenset({TypeVoeu.COM, TypeVoeu.GEO, TypeVoeu.DPT, TypeVoeu.ACA})
# Which reference object each voeu type names: the FK field and the code a teacher types.
CIBLE_PAR_TYPE: dict[str, str] = {
    TypeVoeu.ETB: "etablissement",
    TypeVoeu.COM: "commune",
    TypeVoeu.GEO: "groupement",
    TypeVoeu.DPT: "departement",
    TypeVoeu.ACA: "academie",
    TypeVoeu.ZRE: "zone_remplacement",
    TypeVoeu.ZRD: "departement",
    TypeVoeu.ZRA: "academie",
}
CIBLES = ("etablissement", "commune", "groupement", "departement", "academie", "zone_remplacement")


class TypeFiltre(models.TextChoices):
    TOUT = "TOUT", _("tout type d'établissement")
    CLG = "CLG", _("collège")
    LYC = "LYC", _("lycée")
    LP = "LP", _("lycée professionnel")
    SEP = "SEP", _("section d'enseignement professionnel")
    EREA = "EREA", _("EREA")


class Phase(models.TextChoices):
    A_VENIR = CorePhase.A_VENIR, _("saisie à venir")
    SAISIE = CorePhase.SAISIE, _("saisie des vœux ouverte")
    CLOTURE = CorePhase.CLOTURE, _("saisie close")
    CONFIRMATION = CorePhase.CONFIRMATION, _("confirmation et retour des pièces justificatives")
    INSTRUCTION = CorePhase.INSTRUCTION, _("vérification des demandes")
    AFFICHAGE_BAREMES = CorePhase.AFFICHAGE_BAREMES, _("affichage des barèmes (contestation possible)")
    VERIFICATION = CorePhase.VERIFICATION, _("examen des contestations")
    BAREMES_DEFINITIFS = CorePhase.BAREMES_DEFINITIFS, _("barèmes définitifs")
    RESULTATS = CorePhase.RESULTATS, _("résultats")


class Participation(models.TextChoices):
    OBLIGATOIRE = "obligatoire", _("obligatoire")
    VOLONTAIRE = "volontaire", _("volontaire")


class EtatDemande(models.TextChoices):
    EN_SAISIE = "en_saisie", _("en cours de saisie")
    ENREGISTREE = "enregistree", _("enregistrée — accusé de réception envoyé")
    ANNULEE = "annulee", _("annulée")
    # intra only: the teacher obtained another académie at the inter and leaves this one
    CLOSE_INTER = "close_inter", _("close — autre académie obtenue au mouvement inter")


class Motif(models.TextChoices):
    RAPPROCHEMENT_CONJOINTS = "rc", _("rapprochement de conjoints")
    AUTORITE_PARENTALE = "apc", _("autorité parentale conjointe")
    MUTATION_SIMULTANEE = "mutation_simultanee", _("mutation simultanée")
    RQTH = "rqth", _("handicap — reconnaissance de la qualité de travailleur handicapé (RQTH)")
    HANDICAP = "handicap", _("handicap — bonification exceptionnelle (après avis médical)")
    CIMM = "cimm", _("centre des intérêts matériels et moraux (CIMM) dans un DOM")
    CARTE_SCOLAIRE = "carte_scolaire", _("mesure de carte scolaire")
    STAGIAIRE_EX_CONTRACTUEL = "stagiaire_ex_contractuel", _("stagiaire ex-contractuel")
    STAGIAIRE_VOEU_1 = "stagiaire_voeu_1", _("stagiaire\u00a0: bonification sur le vœu 1")
    VOEU_PREFERENTIEL = "preferentiel", _("vœu préférentiel")
    TZR = "tzr", _("stabilisation des titulaires sur zone de remplacement")


class StatutMotif(models.TextChoices):
    DECLARE = "declared", _("déclaré")
    VALIDE = "validated", _("validé")
    REFUSE = "refused", _("refusé")


class StatutPiece(models.TextChoices):
    EN_ATTENTE = "en_attente", _("en attente d'examen")
    ACCEPTEE = "acceptee", _("acceptée")
    REFUSEE = "refusee", _("refusée")
