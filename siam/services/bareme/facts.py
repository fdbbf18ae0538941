"""From the ORM to the pure barème core: what the on-the-spot voeu warnings need.

The barème issue's service will own the full computation (stored barèmes, campagne rules);
``rules_for`` is its hook: until a campagne carries its own rules, the defaults apply.
"""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from dossier.models import Academie, Departement, Dossier, Etablissement
from siam import bareme as core
from siam.models import Campagne, Motif, MotifDeclare, Voeu
from siam.models.choices import StatutMotif

logger = logging.getLogger(__name__)

STATUS = {
    StatutMotif.DECLARE: core.ClaimStatus.DECLARED,
    StatutMotif.VALIDE: core.ClaimStatus.VALIDATED,
    StatutMotif.REFUSE: core.ClaimStatus.REFUSED,
}
ETABLISSEMENT_TYPE = {"CLG": "CLG", "LGT": "LYC", "LPO": "LYC", "LP": "LP", "EREA": "EREA"}


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in text if ch.isalnum())


@cache
def _academie_codes_by_name() -> dict[str, str]:
    return {_plain(name): code for code, name in core.FRANCE.academies.items()}


def academie_code(academie: Academie) -> str:
    """The ministry's two-digit code the core knows, whatever the référentiel calls it."""
    return _code_of(academie.code, academie.nom)


@lru_cache(maxsize=1024)
def _code_of(code: str, nom: str) -> str:
    # A function of its two arguments and of the core's constant geography: kept per process (a list of 31
    # voeux asks for the same académie's code some forty times).
    if code in core.FRANCE.academies:
        return code
    return _academie_codes_by_name().get(_plain(nom), code)


def departement_code(departement: Departement) -> str:
    # The core's geography names départements by the référentiel's three characters ("063").
    return departement.code


def rules_for(campagne: Campagne) -> core.CompiledRules:
    from siam.services.bareme.rules import compiled_rules  # the campagne's own rules (defaults until configured)

    return compiled_rules(campagne)


def _years(since: datetime.date | None, on: datetime.date) -> int:
    if since is None:
        return 0
    return max(0, on.year - since.year - ((on.month, on.day) < (since.month, since.day)))


def _lieu_etablissement(etablissement: Etablissement) -> core.Lieu:
    departement = etablissement.commune.departement
    return core.Lieu(
        academie=academie_code(departement.academie),
        departement=departement_code(departement),
        commune=etablissement.commune.code_insee,
        etablissement=etablissement.uai,
    )


def _claims(motifs: Iterable[MotifDeclare], dossier: Dossier) -> core.Claims:
    found: dict[str, core.Claim] = {}
    for m in motifs:
        status = STATUS[StatutMotif(m.statut)]
        refus = m.motif_refus  # the reason a refused bonus shows
        code = academie_code(m.academie) if m.academie else ""
        if m.motif == Motif.HANDICAP:
            found["handicap"] = core.HandicapClaim(status=status, motif_refus=refus)
        elif m.motif == Motif.CIMM:
            found["cimm"] = core.CimmClaim(status=status, motif_refus=refus, academie=code)
        elif m.motif == Motif.VOEU_PREFERENTIEL:
            found["preferentiel"] = core.PreferentielClaim(
                status=status, motif_refus=refus, academie=code, annees_precedentes=m.annees or 0
            )
        elif m.motif == Motif.TZR:
            found["tzr"] = core.TzrClaim(status=status, motif_refus=refus, annees=m.annees or 0)
        elif m.motif == Motif.STAGIAIRE_EX_CONTRACTUEL:
            echelon = dossier.reclassement_echelon or 1
            found["stagiaire_ex_contractuel"] = core.ExContractuelClaim(
                status=status, motif_refus=refus, echelon_reclassement=echelon
            )
        elif m.motif == Motif.AUTORITE_PARENTALE:
            found["apc"] = core.Claim(status=status, motif_refus=refus)
        elif m.motif == Motif.RAPPROCHEMENT_CONJOINTS:
            found["rc"] = core.Claim(status=status, motif_refus=refus)
        else:
            found[str(m.motif)] = core.Claim(status=status, motif_refus=refus)
    return core.Claims(**found)  # type: ignore[arg-type]


def _lieu_commune(commune: object | None, academie: Academie | None) -> core.Lieu | None:
    if commune is not None:
        departement = commune.departement  # type: ignore[attr-defined]
        return core.Lieu(
            academie=academie_code(departement.academie),
            departement=departement_code(departement),
            commune=commune.code_insee,  # type: ignore[attr-defined]
        )
    return core.Lieu(academie=academie_code(academie)) if academie is not None else None


def situation_for(dossier: Dossier, motifs: Sequence[MotifDeclare], *, campagne: Campagne) -> core.Situation:
    """The participant as the core sees them; children counted under 18 on 1 September of the campagne year."""
    on = datetime.date(campagne.year, 9, 1)
    by_motif = {m.motif: m for m in motifs}
    rc, apc = by_motif.get(Motif.RAPPROCHEMENT_CONJOINTS), by_motif.get(Motif.AUTORITE_PARENTALE)
    conjoint = _lieu_commune(
        rc.conjoint_commune if rc and rc.conjoint_commune else dossier.conjoint_commune,
        rc.academie if rc and rc.academie else dossier.conjoint_academie,
    )
    enfants = sum(1 for e in dossier.enfants.all() if _years(e.date_naissance, on) < 18)
    etab = dossier.etablissement
    anciennete = _years(dossier.date_entree_poste, on)
    poste = _lieu_etablissement(etab) if etab else None
    if poste is None and dossier.zone_remplacement is not None:
        poste = _lieu_commune(dossier.zone_remplacement.siege, None)
    ep = None
    if etab and etab.education_prioritaire:
        ep = core.EducationPrioritaire(
            type=core.EducationPrioritaireType(etab.education_prioritaire), annees=anciennete
        )
    stagiaire = None
    if dossier.position != "titulaire":
        from siam.services.bareme.load import stagiaire_facts  # load imports this module

        stage = academie_code(dossier.academie_stage) if dossier.academie_stage is not None else ""
        history = [(a.nature, a.date_debut, a.date_fin) for a in dossier.affectations.all()]
        stagiaire = stagiaire_facts(dossier.position, stage, history)
    return core.Situation(
        corps=dossier.corps.code,
        classe=core.Classe(dossier.grade.classe),
        echelon=dossier.echelon,
        anciennete_poste=anciennete,
        poste=poste,
        education_prioritaire=ep,
        stagiaire=stagiaire,
        famille=core.Famille(
            conjoint=conjoint,
            residence_enfants=_lieu_commune(apc.conjoint_commune, None) if apc else None,
            enfants=enfants,
            annees_separation=(rc.annees or 0) if rc else 0,
        ),
        claims=_claims(motifs, dossier),
    )


def voeu_facts(voeu: Voeu) -> core.VoeuFacts:
    """Needs the voeu loaded ``with_targets()`` (and the communes of GEO / ZRE prefetched)."""
    cible = voeu.cible
    etab = voeu.etablissement
    if etab is not None:
        lieu = _lieu_etablissement(etab)
        communes = frozenset({lieu.commune})
    elif isinstance(cible, Academie):
        return core.VoeuFacts(
            rang=voeu.rang, type=core.TypeVoeu(voeu.type), academie=academie_code(cible), filtre=voeu.filtre
        )
    elif isinstance(cible, Departement):
        lieu = core.Lieu(academie=academie_code(cible.academie), departement=departement_code(cible))
        communes = frozenset()
    else:
        departement = cible.departement
        lieu = core.Lieu(academie=academie_code(departement.academie), departement=departement_code(departement))
        codes = [cible.code_insee] if voeu.commune_id else [c.code_insee for c in cible.communes.all()]
        communes = frozenset(codes)
    return core.VoeuFacts(
        rang=voeu.rang,
        type=core.TypeVoeu(voeu.type),
        academie=lieu.academie,
        departement=lieu.departement,
        communes=communes,
        etablissement=etab.uai if etab else "",
        etablissement_type=ETABLISSEMENT_TYPE.get(etab.type, "") if etab else "",
        etablissement_ep=etab.education_prioritaire if etab else "",
        filtre=voeu.filtre,
    )
