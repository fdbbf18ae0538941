"""Adding, removing and moving voeux: each change checked, locked, versioned and kept in history."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import CharField, F
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from dossier.models import (
    Academie,
    Commune,
    Departement,
    Dossier,
    Etablissement,
    GroupementCommunes,
    Position,
    ZoneRemplacement,
)
from lib.prepared import Param, PreparedQuery
from siam.bareme import compare, validity
from siam.bareme.text import ordinal_f
from siam.errors import VoeuInvalide
from siam.models import (
    Campagne,
    CampagneKind,
    Demande,
    DemandeVersion,
    MotifDeclare,
    Poste,
    TypeFiltre,
    TypeVoeu,
    Voeu,
)
from siam.models.choices import CIBLE_PAR_TYPE, TYPES_AVEC_FILTRE
from siam.selectors import JsonTree, dossier_of, motifs_of, voeux_of
from siam.services.bareme.facts import rules_for, situation_for, voeu_facts
from siam.services.demandes import bump_statement, lock_and_bump, record_version, record_version_adding, snapshot

if TYPE_CHECKING:
    from accounts.models import Agent

logger = logging.getLogger(__name__)

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


def _by_code(field: str) -> PreparedQuery[Any]:
    model, code_field, _message = LOOKUPS[field]
    return PreparedQuery(
        lambda: (
            model._default_manager.select_related(*RELATED[field])
            .filter(**{code_field: Param("code", CharField())})
            .order_by()[:1]
        )
    )


# The target named by one code (a unique key): compiled once per process, no ORDER BY (a unique key needs none).
BY_CODE: dict[str, PreparedQuery[Any]] = {field: _by_code(field) for field in LOOKUPS}


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
        raise VoeuInvalide(_("Saisissez le code du vœu."), field="code")
    queryset = model._default_manager.select_related(*RELATED[field])
    candidates = _candidates(field, code)
    if len(candidates) == 1:
        found = BY_CODE[field].first(code=candidates[0])
    else:
        found = queryset.filter(**{f"{code_field}__in": candidates}).first()
    if found is None and field == "academie":
        found = queryset.filter(nom__iexact=code).first()
    if found is None:
        raise VoeuInvalide(message % {"code": code}, field="code")
    return found


def _related_tree(field: str) -> dict[str, Any]:
    model = LOOKUPS[field][0]
    return model._default_manager.select_related(*RELATED[field]).query.select_related if RELATED[field] else {}  # type: ignore[return-value]


# The target of one code read in the add's version bump statement (one per kind of target, compiled once): the
# code as typed, when it is the only candidate; resolve_cible otherwise, and when nothing has it (its French error).
_CIBLE_TREES = {field: JsonTree(LOOKUPS[field][0], _related_tree(field)) for field in LOOKUPS}
BUMP_WITH_CIBLE = {
    field: bump_statement(
        cible_rows=_CIBLE_TREES[field].array(
            model._default_manager.filter(**{code_field: Param("code", CharField())}).order_by()
        )
    )
    for field, (model, code_field, _message) in LOOKUPS.items()
}


def lock_and_resolve(
    demande: Demande, version: int | None, voeu_type: str, code: str, *, explain: bool = True
) -> tuple[Demande, Any]:
    """lock_and_bump, then resolve_cible: the target read in the bump's statement when the code names one row."""
    field = CIBLE_PAR_TYPE[voeu_type]
    candidates = _candidates(field, code.strip().upper())
    if not candidates[0] or len(candidates) > 1:
        return lock_and_bump(demande, version, explain=explain), resolve_cible(voeu_type, code)
    locked = lock_and_bump(demande, version, statement=BUMP_WITH_CIBLE[field], explain=explain, code=candidates[0])
    found = _CIBLE_TREES[field].instances(locked._state.db or "default", locked.campagne.cible_rows)  # type: ignore[attr-defined]
    return locked, found[0] if found else resolve_cible(voeu_type, code)


def academie_of(cible: Any) -> Academie:
    if isinstance(cible, Academie):
        return cible
    if isinstance(cible, Etablissement):
        return cible.commune.departement.academie
    if isinstance(cible, Departement):
        return cible.academie
    return cible.departement.academie  # commune, groupement, zone de remplacement


KINDS: dict[str, validity.Kind] = {CampagneKind.INTER: validity.Kind.INTER, CampagneKind.INTRA: validity.Kind.INTRA}
REFUS: dict[validity.Refus, StrOrPromise] = {
    validity.Refus.TYPE_FERME: gettext_lazy("Les vœux de type « %(type)s » ne sont pas ouverts pour cette campagne."),
    validity.Refus.PROPRE_ACADEMIE: gettext_lazy(
        "« %(cible)s » est votre académie actuelle\u00a0: en tant que titulaire, vous n'avez pas à la demander. "
        "Si vous n'obtenez aucun de vos vœux, vous restez dans votre académie."
    ),
    validity.Refus.PROPRE_ETABLISSEMENT: gettext_lazy(
        "« %(cible)s » est votre établissement actuel\u00a0: vous n'avez pas à le demander. "
        "Si vous n'obtenez aucun de vos vœux, vous conservez votre poste."
    ),
    validity.Refus.PROPRE_ZONE: gettext_lazy(
        "« %(cible)s » est votre zone de remplacement actuelle\u00a0: vous n'avez pas à la demander. "
        "Si vous n'obtenez aucun de vos vœux, vous conservez votre poste."
    ),
}
REFUS_FIELD = {validity.Refus.TYPE_FERME: "type"}


_UNLOADED: Any = object()


def affectation_of(demande: Demande, dossier: Dossier | None = _UNLOADED) -> validity.Affectation:
    """The teacher's current post, as the validity rules see it (one query, none when given the dossier
    loaded with its post's académie: dossier_for_bareme)."""
    if dossier is _UNLOADED:
        dossier = (
            Dossier.objects.filter(agent_id=demande.agent_id)
            .select_related("etablissement__commune__departement__academie", "zone_remplacement__departement__academie")
            .first()
        )
    if dossier is None:
        return validity.Affectation(titulaire=False)
    poste = dossier.etablissement or dossier.zone_remplacement
    return validity.Affectation(
        titulaire=dossier.position == Position.TITULAIRE,
        academie=academie_of(poste).code if poste is not None else "",
        etablissement=dossier.etablissement.uai if dossier.etablissement else "",
        zone_remplacement=dossier.zone_remplacement.code if dossier.zone_remplacement else "",
    )


def cible_of(voeu_type: str, cible: Any) -> validity.Cible:
    return validity.Cible(
        type=voeu_type,
        academie=cible.code if isinstance(cible, Academie) else "",
        etablissement=cible.uai if isinstance(cible, Etablissement) else "",
        zone_remplacement=cible.code if isinstance(cible, ZoneRemplacement) else "",
    )


def check_voeu(
    *,
    campagne: Campagne,
    demande: Demande,
    voeu_type: str,
    cible: Any,
    filtre: str,
    listed: Sequence[Voeu],
    dossier: Dossier | None = _UNLOADED,
) -> None:
    """Everything a voeu must satisfy before it joins ``listed``, the list as it stands (read under the lock);
    the first failure is raised."""
    label = TypeVoeu(voeu_type).label
    refus = validity.refusal(
        kind=KINDS.get(campagne.kind, validity.Kind.OTHER),
        types_ouverts=frozenset(campagne.types_voeux),
        affectation=affectation_of(demande, dossier),
        cible=cible_of(voeu_type, cible),
    )
    if refus is not None:
        raise VoeuInvalide(str(REFUS[refus]) % {"type": label, "cible": cible}, field=REFUS_FIELD.get(refus, "code"))
    if filtre != TypeFiltre.TOUT and (voeu_type not in TYPES_AVEC_FILTRE or campagne.kind != CampagneKind.INTRA):
        raise VoeuInvalide(
            _("Le type d'établissement ne peut pas être restreint sur un vœu de type « %(type)s ».") % {"type": label},
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
    target_id = f"{CIBLE_PAR_TYPE[voeu_type]}_id"
    for v in listed:
        if v.type == voeu_type and v.filtre == filtre and getattr(v, target_id) == cible.pk:
            raise VoeuInvalide(
                _("Ce vœu figure déjà dans votre liste (vœu n° %(rang)s).") % {"rang": v.rang}, field="code"
            )
    if len(listed) >= campagne.max_voeux:
        raise VoeuInvalide(
            _("Vous avez déjà saisi le nombre maximal de vœux (%(max)s) pour cette campagne.")
            % {"max": campagne.max_voeux}
        )


def _profiled_post(campagne: Campagne, demande: Demande, cible: Any) -> bool:
    discipline = Demande.objects.filter(pk=demande.pk).values("agent__dossier__discipline")[:1]
    return Poste.objects.filter(
        campagne=campagne, etablissement=cible, profile=True, discipline__in=discipline
    ).exists()


@dataclass(frozen=True)
class Report:
    """What one change did: the voeu concerned, the bonuses lost or gained elsewhere, and how to undo it.

    ``undo`` says which versioned service puts the list back: ``{"action": "remove", "voeu": id}``
    after an add, ``{"action": "move", "voeu": id, "rang": n}`` after a move, and
    ``{"action": "add", "type", "code", "filtre", "rang"}`` after a removal (plain values: the page
    keeps it in the session until the next change).
    """

    voeu: Voeu
    version: int
    pertes: tuple[str, ...] = ()
    gains: tuple[str, ...] = ()
    undo: dict[str, Any] = field(default_factory=dict)


def _entries(voeux: Sequence[Voeu]) -> list[compare.Entry]:
    return [compare.Entry(v.pk, _libelle(v), voeu_facts(v)) for v in voeux]


def _before(voeux: Sequence[Voeu]) -> list[compare.Entry]:
    try:
        return _entries(voeux)
    except Exception:  # advice only: an unexpected target never blocks the saisie
        logger.exception("SIAM: liste avant changement illisible pour le barème")
        return []


def _libelle(voeu: Voeu) -> str:
    cible = voeu.cible
    return str(cible.nom if isinstance(cible, Academie | Commune | Departement) else cible)


def _with_added(voeux: list[Voeu], added: Voeu) -> list[Voeu]:
    """The list after ``added`` was inserted at its rang, without reading it again: the voeux from that rang
    moved down one (as the UPDATE did in the database); ``added`` holds its target as resolve_cible loaded it."""
    for voeu in voeux:
        if voeu.rang >= added.rang:
            voeu.rang += 1
    return sorted([*voeux, added], key=lambda voeu: voeu.rang)


def _bilan(
    locked: Demande,
    before: list[compare.Entry],
    action: str,
    dossier: Dossier | None = _UNLOADED,
    *,
    after: list[Voeu] | None = None,
    motifs: list[MotifDeclare] | None = None,
    appended: Voeu | None = None,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The core run on the list before and after the change (advice: a failure never blocks the saisie).

    ``after``: the list after the change when the caller has it (an added voeu: _with_added), else it is read;
    ``motifs`` likewise (motifs_of); ``appended``: the voeu added at the end of the list, whose others keep their
    rang, hence their entries (``before``'s)."""
    try:
        if dossier is _UNLOADED:
            dossier = dossier_of(locked)
        if dossier is None or not before:
            return (), ()
        situation = situation_for(dossier, motifs_of(locked) if motifs is None else motifs, campagne=locked.campagne)
        if appended is not None:
            listed = [*before, *_entries([appended])]
        else:
            listed = _entries(voeux_of(locked) if after is None else after)
        return compare.describe(compare.compare_lists(situation, before, listed, rules_for(locked.campagne)), action)
    except Exception:
        logger.exception("SIAM: bilan du changement indisponible (demande %s)", locked.pk)
        return (), ()


@functools.lru_cache(maxsize=8)
def add_words(language: str | None) -> tuple[str, str]:
    """The journal's action and the bilan's phrase of every add, translated once per process and language (each
    gettext of a French msgid walks Django's catalogues)."""
    return _("Ajout du vœu n° %(rang)s\u00a0: %(voeu)s"), _("En ajoutant %(voeu)s en %(position)s position")


def add_voeu_reported(
    *,
    demande: Demande,
    auteur: Agent,
    version: int | None,
    voeu_type: str,
    code: str,
    filtre: str = TypeFiltre.TOUT,
    rang: int | None = None,
    explain: bool = True,
) -> Report:
    """Add a voeu at the end of the list, or at ``rang`` (the others move down): undoing a removal. Of ``demande``,
    its id and its agent's are read (lock_and_bump, ``explain`` its)."""
    with transaction.atomic():
        locked, cible = lock_and_resolve(demande, version, voeu_type, code, explain=explain)
        dossier = dossier_of(locked)  # the rules and the bilan read it (read with the version bump)
        listed = voeux_of(locked)
        check_voeu(
            campagne=locked.campagne,
            demande=locked,
            voeu_type=voeu_type,
            cible=cible,
            filtre=filtre,
            listed=listed,
            dossier=dossier,
        )
        count = len(listed)
        if rang is not None and not 1 <= rang <= count + 1:
            raise VoeuInvalide(_("Choisissez un rang entre 1 et %(max)s.") % {"max": count + 1}, field="rang")
        before = _before(listed)
        position = count + 1 if rang is None else rang
        if position <= count:  # appended at the end, nothing moves
            Voeu.objects.filter(demande=locked, rang__gte=position).update(rang=F("rang") + 1)
        voeu = Voeu(demande=locked, rang=position, type=voeu_type, filtre=filtre, **{CIBLE_PAR_TYPE[voeu_type]: cible})
        after, motifs = _with_added(listed, voeu), motifs_of(locked)
        action_words, phrase_words = add_words(get_language())
        action = action_words % {"rang": voeu.rang, "voeu": cible}
        contenu_apres = snapshot(after, motifs)
        version_row = DemandeVersion(
            demande=locked, version=locked.version, auteur=auteur, action=action, contenu=contenu_apres
        )
        record_version_adding(voeu, version_row)  # the voeu and the history row, one statement
        phrase = phrase_words % {"voeu": _libelle(voeu), "position": ordinal_f(position)}
        pertes, gains = _bilan(
            locked, before, phrase, dossier, after=after, motifs=motifs, appended=voeu if position > count else None
        )
    demande.version = locked.version
    return Report(voeu, locked.version, pertes, gains, {"action": "remove", "voeu": voeu.pk})


def add_voeu(
    *, demande: Demande, auteur: Agent, version: int | None, voeu_type: str, code: str, filtre: str = TypeFiltre.TOUT
) -> Voeu:
    return add_voeu_reported(
        demande=demande, auteur=auteur, version=version, voeu_type=voeu_type, code=code, filtre=filtre
    ).voeu


def remove_voeu_reported(*, demande: Demande, auteur: Agent, version: int | None, voeu_id: int) -> Report:
    with transaction.atomic():
        locked = lock_and_bump(demande, version)
        voeux = voeux_of(locked)
        voeu = next((v for v in voeux if v.pk == voeu_id), None)
        if voeu is None:
            raise VoeuInvalide(_("Ce vœu ne figure plus dans votre liste."))
        before = _before(voeux)
        undo = {"action": "add", "type": voeu.type, "code": voeu.code, "filtre": voeu.filtre, "rang": voeu.rang}
        after = _renumbered([v for v in voeux if v.pk != voeu_id])  # as the UPDATE below does, not read again
        voeu.delete()
        if voeu is not voeux[-1]:  # the last one removed, nothing moves
            Voeu.objects.filter(demande=locked, rang__gt=undo["rang"]).update(rang=F("rang") - 1)
        motifs = motifs_of(locked)
        action = _("Suppression du vœu n° %(rang)s") % {"rang": undo["rang"]}
        record_version(locked, auteur=auteur, action=action, contenu_apres=snapshot(after, motifs))
        phrase = _("En supprimant %(voeu)s (vœu n° %(rang)s)") % {"voeu": _libelle(voeu), "rang": undo["rang"]}
        pertes, gains = _bilan(locked, before, phrase, after=after, motifs=motifs)
    demande.version = locked.version
    voeu.pk = voeu_id  # delete() cleared it; the page still names the voeu removed
    return Report(voeu, locked.version, pertes, gains, undo)


def _renumbered(voeux: list[Voeu]) -> list[Voeu]:
    """The list in its new order, each voeu given its place (1..N) as the UPDATEs did in the database."""
    for rang, voeu in enumerate(voeux, start=1):
        voeu.rang = rang
    return voeux


def move_voeu_to(*, demande: Demande, auteur: Agent, version: int | None, voeu_id: int, rang: int) -> Report:
    """Place a voeu at rank ``rang`` (1..N); those in between shift by one."""
    with transaction.atomic():
        locked = lock_and_bump(demande, version)
        voeux = voeux_of(locked)
        voeu = next((v for v in voeux if v.pk == voeu_id), None)
        if voeu is None:
            raise VoeuInvalide(_("Ce vœu ne figure plus dans votre liste."))
        if not 1 <= rang <= len(voeux):
            raise VoeuInvalide(_("Choisissez un rang entre 1 et %(max)s.") % {"max": len(voeux)}, field="rang")
        old = voeu.rang
        if rang == old:
            raise VoeuInvalide(_("Ce vœu est déjà au rang %(rang)s.") % {"rang": rang}, field="rang")
        before = _before(voeux)
        # The (demande, rang) constraint is deferred to the commit: the shift may pass through duplicates.
        if rang < old:
            Voeu.objects.filter(demande=locked, rang__gte=rang, rang__lt=old).update(rang=F("rang") + 1)
        else:
            Voeu.objects.filter(demande=locked, rang__gt=old, rang__lte=rang).update(rang=F("rang") - 1)
        Voeu.objects.filter(pk=voeu.pk).update(rang=rang)
        others = [v for v in voeux if v.pk != voeu_id]
        after = _renumbered([*others[: rang - 1], voeu, *others[rang - 1 :]])  # as the UPDATEs did
        motifs = motifs_of(locked)
        action = _("Vœu n° %(old)s placé en n° %(new)s") % {"old": old, "new": rang}
        record_version(locked, auteur=auteur, action=action, contenu_apres=snapshot(after, motifs))
        phrase = _("En plaçant %(voeu)s en %(position)s position") % {
            "voeu": _libelle(voeu),
            "position": ordinal_f(rang),
        }
        pertes, gains = _bilan(locked, before, phrase, after=after, motifs=motifs)
    demande.version = locked.version
    return Report(voeu, locked.version, pertes, gains, {"action": "move", "voeu": voeu.pk, "rang": old})


def move_voeu_reported(*, demande: Demande, auteur: Agent, version: int | None, voeu_id: int, direction: str) -> Report:
    """Swap a voeu with its neighbour above ("up") or below ("down")."""
    rang = Voeu.objects.filter(demande=demande, pk=voeu_id).values_list("rang", flat=True).first()
    target = 0 if rang is None else rang - 1 if direction == "up" else rang + 1
    try:
        return move_voeu_to(demande=demande, auteur=auteur, version=version, voeu_id=voeu_id, rang=target)
    except VoeuInvalide as exc:
        if exc.field != "rang":
            raise
        raise VoeuInvalide(
            _("Ce vœu est déjà en première position.")
            if direction == "up"
            else _("Ce vœu est déjà en dernière position.")
        ) from exc


def voeu_of_poste(poste: Poste) -> tuple[str, str]:
    """The voeu that names a post's place: its établissement, its zone de remplacement or its académie."""
    if poste.etablissement_id:
        return TypeVoeu.ETB, poste.etablissement.uai  # type: ignore[union-attr]
    if poste.zone_remplacement_id:
        return TypeVoeu.ZRE, poste.zone_remplacement.code  # type: ignore[union-attr]
    return TypeVoeu.ACA, poste.academie.code  # type: ignore[union-attr]
