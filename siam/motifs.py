"""What each claimed motif needs: the details to give, and the pièces justificatives to provide.

Defaults drawn from the ministry's notes de service; staff may refine the wording here each year.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from siam.models.choices import Motif

PIECES_PAR_MOTIF: dict[str, tuple[Promise, ...]] = {
    Motif.RAPPROCHEMENT_CONJOINTS: (
        _("copie du livret de famille, de l'acte de mariage ou de l'attestation de PACS"),
        _("attestation récente de l'activité professionnelle du conjoint (lieu d'exercice)"),
        _("pour les années de séparation\u00a0: justificatifs de chaque année de séparation"),
    ),
    Motif.AUTORITE_PARENTALE: (
        _("décision de justice fixant la résidence des enfants et les modalités de l'autorité parentale"),
        _("justificatif de domicile de l'autre parent"),
    ),
    Motif.MUTATION_SIMULTANEE: (
        _("copie du livret de famille, de l'acte de mariage ou de l'attestation de PACS"),
        _("nom et discipline du conjoint participant au mouvement"),
    ),
    Motif.RQTH: (
        _("attestation de reconnaissance de la qualité de travailleur handicapé (RQTH) en cours de validité"),
    ),
    Motif.HANDICAP: (
        _("attestation RQTH ou décision de la MDPH"),
        _("certificat médical récent, sous pli confidentiel, à l'attention du médecin de prévention"),
    ),
    Motif.CIMM: (
        _("tout justificatif du centre des intérêts matériels et moraux (domicile, biens, famille, scolarité)"),
    ),
    Motif.CARTE_SCOLAIRE: (_("arrêté ou courrier du rectorat notifiant la mesure de carte scolaire"),),
    Motif.STAGIAIRE_EX_CONTRACTUEL: (_("état des services d'enseignement accomplis comme contractuel"),),
    Motif.STAGIAIRE_VOEU_1: (_("aucune pièce\u00a0: bonification déclarative, utilisable une fois sur trois ans"),),
    Motif.VOEU_PREFERENTIEL: (_("aucune pièce\u00a0: le rectorat vérifie vos demandes des années précédentes"),),
    Motif.TZR: (_("arrêtés d'affectation sur zone de remplacement des années concernées"),),
}

# The details a teacher gives with each claim (and what they are called on the form).
NEEDS_COMMUNE = frozenset({Motif.RAPPROCHEMENT_CONJOINTS, Motif.AUTORITE_PARENTALE})
NEEDS_ACADEMIE = frozenset({Motif.CIMM, Motif.VOEU_PREFERENTIEL})
NEEDS_ANNEES = frozenset({Motif.VOEU_PREFERENTIEL, Motif.TZR})
