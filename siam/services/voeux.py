"""Adding, removing and moving voeux: each change checked, locked, versioned and kept in history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, ZoneRemplacement
from siam.errors import VoeuInvalide
from siam.models import Campagne, CampagneKind, Demande, Poste, TypeFiltre, TypeVoeu, Voeu
from siam.models.choices import CIBLE_PAR_TYPE, TYPES_AVEC_FILTRE
from siam.services.demandes import lock_demande, record_change

if TYPE_CHECKING:
    from accounts.models import Agent

# The code a teacher types, per kind of target, and what the error says when nothing has it.
LOOKUPS: dict[str, tuple[type[models.Model], str, StrOrPromise]] = {
    "etablissement": (Etablissement, "uai", gettext_lazy("Aucun établissement ne porte le code UAI « %(code)s ».")),
    "commune": (Commune, "code_insee", gettext_lazy("Aucune commune ne porte le code INSEE « %(code)s ».")),
    "groupement": (
        GroupementCommunes,
        "code",
        gettext_lazy("Aucun groupement de communes ne porte le code « %(code)s »."),
    ),
    "departement": (Departement, "code", gettext_lazy("Aucun département ne porte le code « %(code)s ».")),
    "academie": (Academie, "code", gettext_lazy("Aucune académie ne porte le code « %(code)s ».")),
    "zone_remplacement": (
        ZoneRemplacement,
        "code",
        gettext_lazy("Aucune zone de remplacement ne porte le code « %(code)s »."),
    ),
}
RELATED = {
    "etablissement": ("commune__departement__academie",),
    "commune": ("departement__academie",),
    "groupement": ("departement__academie",),
    "departement": ("academie",),
    "academie": (),
    "zone_remplacement": ("departement__academie",),
}


def _candidates(field: str, code: str) -> list[str]:
    # Départements are stored on three characters ("063"); teachers type "63".
    if field == "departement" and code.isdigit() and len(code) < 3:
        return [code, code.zfill(3)]
    return [code]


def resolve_cible(voeu_type: str, code: str) -> Any:
    """The reference object a typed code names, or a VoeuInvalide naming the code."""
    field = CIBLE_PAR_TYPE[voeu_type]
    model, code_field, message = LOOKUPS[field]
    code = code.strip().upper()
    if not code:
        raise VoeuInvalide(_("Saisissez le code du voeu."), field="code")
    queryset = model._default_manager.select_related(*RELATED[field])
    found = queryset.filter(**{f"{code_field}__in": _candidates(field, code)}).first()
    if found is None and field == "academie":
        found = queryset.filter(nom__iexact=code).first()
    if found is None:
        raise VoeuInvalide(message % {"code": code}, field="code")
    return found


def academie_of(cible: Any) -> Academie:
    if isinstance(cible, Academie):
        return cible
    if isinstance(cible, Etablissement):
        return cible.commune.departement.academie
    if isinstance(cible, Departement):
        return cible.academie
    return cible.departement.academie  # commune, groupement, zone de remplacement


def check_voeu(*, campagne: Campagne, demande: Demande, voeu_type: str, cible: Any, filtre: str) -> int:
    """Everything a voeu must satisfy before it joins the list; the first failure is raised.

    Returns how many voeux the list already holds (the new one goes after them).
    """
    label = TypeVoeu(voeu_type).label
    if voeu_type not in campagne.types_voeux:
        raise VoeuInvalide(
            _("Les voeux de type « %(type)s » ne sont pas ouverts pour cette campagne.") % {"type": label}, field="type"
        )
    if filtre != TypeFiltre.TOUT and (voeu_type not in TYPES_AVEC_FILTRE or campagne.kind != CampagneKind.INTRA):
        raise VoeuInvalide(
            _("Le type d'établissement ne peut pas être restreint sur un voeu de type « %(type)s ».") % {"type": label},
            field="filtre",
        )
    if campagne.academie_id and academie_of(cible).pk != campagne.academie_id:
        raise VoeuInvalide(
            _("« %(cible)s » n'appartient pas à l'académie de %(academie)s.")
            % {"cible": cible, "academie": campagne.academie},
            field="code",
        )
    if campagne.kind in (CampagneKind.SPEA, CampagneKind.SPEN) and not _profiled_post(campagne, demande, cible):
        raise VoeuInvalide(
            _("Aucun poste à profil de votre discipline n'est offert à « %(cible)s » pour cette campagne.")
            % {"cible": cible},
            field="code",
        )
    voeux = Voeu.objects.filter(demande=demande).order_by()  # the model's ordering would join demande and campagne
    same = voeux.filter(type=voeu_type, filtre=filtre, **{CIBLE_PAR_TYPE[voeu_type]: cible}).values_list(
        "rang", flat=True
    )
    for rang in same[:1]:
        raise VoeuInvalide(_("Ce voeu figure déjà dans votre liste (voeu n° %(rang)s).") % {"rang": rang}, field="code")
    count = voeux.count()
    if count >= campagne.max_voeux:
        raise VoeuInvalide(
            _("Vous avez déjà saisi le nombre maximal de voeux (%(max)s) pour cette campagne.")
            % {"max": campagne.max_voeux}
        )
    return count


def _profiled_post(campagne: Campagne, demande: Demande, cible: Any) -> bool:
    discipline = Demande.objects.filter(pk=demande.pk).values("agent__dossier__discipline")[:1]
    return Poste.objects.filter(
        campagne=campagne, etablissement=cible, profile=True, discipline__in=discipline
    ).exists()


def add_voeu(
    *, demande: Demande, auteur: Agent, version: int | None, voeu_type: str, code: str, filtre: str = TypeFiltre.TOUT
) -> Voeu:
    with transaction.atomic():
        locked = lock_demande(demande.pk, version)
        cible = resolve_cible(voeu_type, code)
        count = check_voeu(campagne=locked.campagne, demande=locked, voeu_type=voeu_type, cible=cible, filtre=filtre)
        voeu = Voeu.objects.create(
            demande=locked, rang=count + 1, type=voeu_type, filtre=filtre, **{CIBLE_PAR_TYPE[voeu_type]: cible}
        )
        action = _("Ajout du voeu n° %(rang)s : %(voeu)s") % {"rang": voeu.rang, "voeu": cible}
        record_change(locked, auteur=auteur, action=action)
    demande.version = locked.version
    return voeu


def remove_voeu(*, demande: Demande, auteur: Agent, version: int | None, voeu_id: int) -> None:
    with transaction.atomic():
        locked = lock_demande(demande.pk, version)
        voeu = _voeu_of(locked, voeu_id)
        voeu.delete()
        Voeu.objects.filter(demande=locked, rang__gt=voeu.rang).update(rang=F("rang") - 1)
        record_change(locked, auteur=auteur, action=_("Suppression du voeu n° %(rang)s") % {"rang": voeu.rang})
    demande.version = locked.version


def move_voeu(*, demande: Demande, auteur: Agent, version: int | None, voeu_id: int, direction: str) -> Voeu:
    """Swap a voeu with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        locked = lock_demande(demande.pk, version)
        voeu = _voeu_of(locked, voeu_id)
        target = voeu.rang - 1 if direction == "up" else voeu.rang + 1
        neighbour = Voeu.objects.filter(demande=locked, rang=target).order_by("pk").first()
        if neighbour is None:
            raise VoeuInvalide(
                _("Ce voeu est déjà en première position.")
                if direction == "up"
                else _("Ce voeu est déjà en dernière position.")
            )
        # The (demande, rang) constraint is deferred to the commit: the swap may pass through a duplicate.
        Voeu.objects.filter(pk=neighbour.pk).update(rang=voeu.rang)
        Voeu.objects.filter(pk=voeu.pk).update(rang=target)
        record_change(
            locked, auteur=auteur, action=_("Voeu n° %(old)s placé en n° %(new)s") % {"old": voeu.rang, "new": target}
        )
        voeu.rang = target
    demande.version = locked.version
    return voeu


def _voeu_of(demande: Demande, voeu_id: int) -> Voeu:
    voeu = Voeu.objects.filter(demande=demande, pk=voeu_id).order_by("pk").first()
    if voeu is None:
        raise VoeuInvalide(_("Ce voeu ne figure plus dans votre liste."))
    return voeu
