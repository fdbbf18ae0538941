"""Starting a demande, the phase guards, the version lock and the history of changes."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import DecimalField, Field, JSONField, Model
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.models import Dossier, Position
from lib.prepared import JsonRow, PreparedQuery
from lib.queries import unique_row
from siam.errors import ConflitVersion, DemandeImpossible, PhaseFermee
from siam.models import Campagne, Demande, DemandeVersion, EtatDemande, MotifDeclare, Participation, Phase, Voeu
from siam.models.choices import CIBLE_PAR_TYPE
from siam.models.demande import code_of
from siam.selectors import dossier_arrays, keep_dossier, keep_motifs, keep_voeux, motifs_array, voeux_array
from siam.services.bareme.rules import RULES_ARRAY, keep_rules
from siam.text import moment

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Sequence

    from accounts.models import Agent

    Guard = Callable[[Campagne, datetime.datetime], None]

STAGIAIRES = (Position.STAGIAIRE, Position.STAGIAIRE_EX_CONTRACTUEL)


def participation_for(dossier: Dossier | None, campagne: Campagne, *, entrant_inter: bool) -> tuple[str, list[str]]:
    """Obligatoire or volontaire, and why (DOMAIN.md §2), from the dossier and the intra entrant flag."""
    raisons: list[str] = []
    if dossier is not None and dossier.position in STAGIAIRES and not campagne.is_intra:
        raisons.append(_("stagiaire devant obtenir une première affectation"))
    if dossier is not None and dossier.affectation_provisoire:
        raisons.append(_("affecté(e) à titre provisoire"))
    if campagne.is_intra and entrant_inter:
        raisons.append(_("entré(e) dans l'académie par le mouvement inter-académique"))
    return (Participation.OBLIGATOIRE if raisons else Participation.VOLONTAIRE), raisons


def find_demande(*, agent: Agent, campagne: Campagne) -> Demande | None:
    """The agent's demande for the campagne, if he started one (reading only: a GET never creates one)."""
    demande = unique_row(Demande.objects.filter(agent=agent, campagne=campagne))
    if demande is not None:
        demande.campagne = campagne
    return demande


def require_startable(*, dossier: Dossier | None, campagne: Campagne, now: datetime.datetime) -> None:
    """Who may start a demande: an agent with a dossier, during the saisie."""
    if dossier is None:
        raise DemandeImpossible(
            _(
                "Aucun dossier administratif d'enseignant n'est enregistré à votre nom\u00a0: seuls les personnels "
                "qui ont un dossier peuvent participer au mouvement. Si vous êtes enseignant, contactez votre "
                "correspondant de gestion."
            )
        )
    require_saisie(campagne, now)


def start_demande(*, agent: Agent, campagne: Campagne) -> Demande:
    """« Commencer ma demande » (POST): creates it once, during the saisie, for an agent with a dossier.

    Idempotent: a second click finds the same demande; its participation is brought in step with the dossier.
    """
    with transaction.atomic():
        dossier = unique_row(Dossier.objects.filter(agent=agent))
        require_startable(dossier=dossier, campagne=campagne, now=timezone.now())
        demande, _created = Demande.objects.get_or_create(agent=agent, campagne=campagne)
        if demande.etat == EtatDemande.EN_SAISIE:
            participation, raisons = participation_for(dossier, campagne, entrant_inter=demande.entrant_inter)
            if (participation, raisons) != (demande.participation, demande.participation_raisons):
                Demande.objects.filter(pk=demande.pk).update(participation=participation, participation_raisons=raisons)
                demande.participation, demande.participation_raisons = participation, raisons
    demande.campagne = campagne
    return demande


# --- phase guards --------------------------------------------------------------------------------


def require_saisie(campagne: Campagne, now: datetime.datetime) -> None:
    phase = campagne.phase_at(now)
    if phase == Phase.A_VENIR:
        raise PhaseFermee(
            _("La saisie des vœux n'est pas encore ouverte\u00a0: elle ouvrira le %(date)s.")
            % {"date": moment(campagne.saisie_debut)}
        )
    if phase != Phase.SAISIE:
        raise PhaseFermee(
            _("La saisie des vœux est fermée depuis le %(date)s\u00a0: aucune modification n'est possible.")
            % {"date": moment(campagne.saisie_fin)}
        )


def require_confirmation(campagne: Campagne, now: datetime.datetime) -> None:
    if not campagne.confirmation_ouverte(now):
        raise PhaseFermee(
            _("La confirmation de demande sera disponible à partir du %(date)s.")
            % {"date": moment(campagne.confirmation_debut)}
        )


def require_depot_pieces(campagne: Campagne, now: datetime.datetime) -> None:
    if now < campagne.saisie_debut:
        raise PhaseFermee(_("Le dépôt des pièces justificatives ouvrira avec la saisie des vœux."))
    if not campagne.depot_pieces_ouvert(now):
        raise PhaseFermee(
            _("Le dépôt des pièces justificatives est clos depuis le %(date)s.")
            % {"date": moment(campagne.retour_pieces_fin)}
        )


# --- the version lock and the history -----------------------------------------------------------


def lock_demande(demande_id: int, version: int | None, *, guard: Guard | None = require_saisie) -> Demande:
    """The demande row, locked until the transaction ends; the phase guard, then the version check.

    Must run inside transaction.atomic(): two tabs saving at once are serialised here, and the
    second one sees the version the first one wrote.
    """
    locked = Demande.objects.select_for_update(of=("self",)).select_related("campagne__academie").get(pk=demande_id)
    if guard is not None:
        guard(locked.campagne, timezone.now())
    if locked.etat == EtatDemande.CLOSE_INTER:
        raise PhaseFermee(
            _("Votre demande est close\u00a0: vous avez obtenu une autre académie au mouvement inter-académique.")
        )
    if version is None or version != locked.version:
        raise ConflitVersion(conflict_message())
    return locked


def conflict_message() -> str:
    return _(
        "Votre liste a été modifiée dans un autre onglet ou une autre fenêtre\u00a0: votre dernière action "
        "n'a pas été enregistrée. Voici la liste à jour\u00a0; recommencez si besoin."
    )


# The bump of lock_and_bump (version + 1 on the row if it still has the version read and is not closed; the row is
# locked until the transaction ends), and in the same statement what every change reads after it: the campagne
# with its jalons and its barème rules, the demande's claims and list (targets loaded) and the teacher's dossier
# with its children (siam.selectors' JSON columns). A fixed CTE before the campagne's query, compiled once per
# process (its EXISTS cost ~3,000 calls). The rows are read in the statement's snapshot: every change of the list or
# the claims bumps the version, so a bump that matched saw the latest of them.
# No row: the bump matched nothing (a campagne is PROTECTed: a bumped demande always has one). The demande's row as
# the bump left it comes back too, as a JSON array of its columns (``demande_row``): the change works on it, and a
# caller that knows only the demande's id and its agent's (a vœu's add) needs no read of its own before it.
_BUMP = (
    'WITH "bumped" AS (UPDATE "siam_demande" SET "version" = "version" + 1, "modifiee_le" = %s '
    'WHERE "id" = %s AND "agent_id" = %s AND "version" = %s AND NOT ("etat" = %s) RETURNING *) '
)
_DEMANDE_ROW = JsonRow(Demande, tuple(f.attname for f in Demande._meta.concrete_fields))
_DEMANDE_COLUMNS = ", ".join(  # the model's own columns, nothing a user sent
    f'"{f.column}"::text' if isinstance(f, DecimalField) else f'"{f.column}"' for f in Demande._meta.concrete_fields
)
_DEMANDE_ROW_SQL = f'(SELECT JSONB_BUILD_ARRAY({_DEMANDE_COLUMNS}) FROM "bumped")'  # noqa: S608


class _BumpedCampagne(PreparedQuery[Campagne]):
    """The campagne's query preceded by the bump: its values ``now``, ``demande``, ``agent``, ``version``."""

    def statement(self, using: str, values: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        sql, params = super().statement(using, values)
        bump = (values["now"], values["demande"], values["agent"], values["version"], EtatDemande.CLOSE_INTER.value)
        return _BUMP + sql, (*bump, *params)


def bump_statement(**annotations: Any) -> PreparedQuery[Campagne]:
    """The bump's statement, its campagne's query reading ``annotations`` too (their Params given to
    lock_and_bump): a change that needs one more row reads it there (an added voeu's target)."""
    return _BumpedCampagne(
        lambda: (
            Campagne.objects.select_related("academie")
            .with_jalons()
            .annotate(
                demande_row=RawSQL(_DEMANDE_ROW_SQL, (), JSONField()),  # noqa: S611
                regles_rows=RULES_ARRAY,
                motifs_rows=motifs_array(RawSQL('(SELECT "id" FROM "bumped")', ())),
                voeux_rows=voeux_array(RawSQL('(SELECT "id" FROM "bumped")', ())),
                **dossier_arrays(RawSQL('(SELECT "agent_id" FROM "bumped")', ())),
                **annotations,
            )
            .filter(pk=RawSQL('(SELECT "campagne_id" FROM "bumped")', ()))
            .order_by()[:1]
        )
    )


_BUMPED_CAMPAGNE = bump_statement()


def lock_and_bump(
    demande: Demande,
    version: int | None,
    *,
    guard: Guard = require_saisie,
    statement: PreparedQuery[Campagne] = _BUMPED_CAMPAGNE,
    explain: bool = True,
    **values: Any,
) -> Demande:
    """lock_demande and record_change's version bump in one UPDATE, only if the row still has ``version``, is
    ``demande``'s agent's and is not closed (the row is locked until the transaction ends), which returns the
    demande's row as it left it, the campagne read after the lock, with its jalons and its barème rules, and the
    demande's claims, list and dossier (motifs_of, voeux_of once and dossier_of read them from the demande
    returned): one statement instead of seven; then the phase guard on it. Must run inside transaction.atomic(): a
    refusal after it rolls the bump back. Of ``demande``, only its id and its agent's are read.

    ``statement``: bump_statement()'s with what the change reads too, ``values`` its Params. ``explain``: when the
    bump matched nothing, lock_demande says why (the phase, a closed demande, another tab); without it, a
    ConflitVersion only (a caller that has not checked the demande is the asker's says nothing about it).
    Returns the demande at its new version with that campagne; keep the change with record_version."""
    now = timezone.now()
    campagne = (
        None
        if version is None
        else statement.first(now=now, demande=demande.pk, agent=demande.agent_id, version=version, **values)
    )
    if campagne is None or version is None:  # (None: mypy)
        if explain:
            lock_demande(demande.pk, version, guard=guard)  # says why: the phase, a closed demande, another tab
        raise ConflitVersion(conflict_message())  # the row matches now: another tab changed it and back
    keep_rules(campagne, campagne.regles_rows)  # type: ignore[attr-defined]
    locked: Demande = _DEMANDE_ROW.instance(campagne._state.db or "default", campagne.demande_row)  # type: ignore[attr-defined]
    keep_motifs(locked, campagne.motifs_rows)  # type: ignore[attr-defined]
    keep_voeux(locked, campagne.voeux_rows)  # type: ignore[attr-defined]  # for the voeux_of that follows
    keep_dossier(locked, campagne.dossier_rows, campagne.enfants_rows)  # type: ignore[attr-defined]  # dossier_of
    locked.campagne = campagne
    guard(locked.campagne, timezone.now())
    return locked


SNAPSHOT_FIELDS = {
    "etablissement": ("etablissement__uai", "etablissement__nom"),
    "commune": ("commune__code_insee", "commune__nom"),
    "groupement": ("groupement__code", "groupement__nom"),
    "departement": ("departement__code", "departement__nom"),
    "academie": ("academie__code", "academie__nom"),
    "zone_remplacement": ("zone_remplacement__code", "zone_remplacement__nom"),
}


def contenu(demande: Demande) -> dict[str, Any]:
    """The list as it stands, flat (one query, no model objects): every save writes one."""
    columns = [column for pair in SNAPSHOT_FIELDS.values() for column in pair]
    voeux = []
    for row in Voeu.objects.filter(demande=demande).order_by("rang").values("rang", "type", "filtre", *columns):
        code_column, nom_column = SNAPSHOT_FIELDS[CIBLE_PAR_TYPE[row["type"]]]
        voeux.append(
            {
                "rang": row["rang"],
                "type": row["type"],
                "code": row[code_column],
                "filtre": row["filtre"],
                "libelle": row[nom_column],
            }
        )
    motifs = [
        {"motif": motif, "statut": statut}
        for motif, statut in demande.motifs.order_by("pk").values_list("motif", "statut")
    ]
    return {"voeux": voeux, "motifs": motifs}


def snapshot(voeux: Sequence[Voeu], motifs: Sequence[MotifDeclare]) -> dict[str, Any]:
    """What contenu() reads, from the list (in order, targets loaded) and the motifs already in memory: no query."""
    return {
        "voeux": [
            {
                "rang": v.rang,
                "type": v.type,
                "code": code_of(v.type, v.cible),
                "filtre": v.filtre,
                "libelle": v.cible.nom,
            }
            for v in voeux
        ],
        "motifs": [{"motif": m.motif, "statut": m.statut} for m in sorted(motifs, key=lambda m: m.pk)],
    }


def record_change(
    demande: Demande, *, auteur: Agent, action: str, contenu_apres: dict[str, Any] | None = None
) -> DemandeVersion:
    """Bump the version and keep the whole list as it now stands, with who and what.

    ``contenu_apres``: that list when the caller has it in memory (snapshot()), else it is read (contenu())."""
    demande.version += 1
    demande.save(update_fields=["version", "modifiee_le"])
    return DemandeVersion.objects.create(
        demande=demande,
        version=demande.version,
        auteur=auteur,
        action=action,
        contenu=contenu(demande) if contenu_apres is None else contenu_apres,
    )


def record_version(demande: Demande, *, auteur: Agent, action: str, contenu_apres: dict[str, Any]) -> DemandeVersion:
    """The history row of a version lock_and_bump wrote: the list as the change left it, who and what."""
    return DemandeVersion.objects.create(
        demande=demande, version=demande.version, auteur=auteur, action=action, contenu=contenu_apres
    )


@functools.cache
def _insert(model: type[Model]) -> tuple[str, list[Field[Any, Any]]]:
    """The INSERT of one row of ``model`` (every concrete column but its automatic key), and those columns' fields:
    names from the model's own meta, every value a parameter; built once per process."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", fields  # noqa: S608


def _values(instance: Model, fields: list[Field[Any, Any]], using: Any) -> list[Any]:
    """What Model.save() sends for ``instance``'s columns (pre_save: auto_now_add dates; the database's form);
    ``using``: the connection itself, not django.db.connection, whose every attribute is a thread-local lookup."""
    return [f.get_db_prep_save(f.pre_save(instance, True), using) for f in fields]


def record_version_adding(voeu: Voeu, version: DemandeVersion) -> None:
    """Voeu.objects.create() and record_version's row in one statement (two INSERTs in a CTE): both unsaved
    instances are saved, each with its new key (neither model has a save() or a signal of its own)."""
    voeu_sql, voeu_fields = _insert(Voeu)
    version_sql, version_fields = _insert(DemandeVersion)
    sql = (
        f'WITH "added" AS ({voeu_sql} RETURNING "id"), "kept" AS ({version_sql} RETURNING "id") '  # noqa: S608
        'SELECT (SELECT "id" FROM "added"), (SELECT "id" FROM "kept")'
    )
    using = connections[DEFAULT_DB_ALIAS]
    with using.cursor() as cursor:
        cursor.execute(sql, [*_values(voeu, voeu_fields, using), *_values(version, version_fields, using)])
        voeu.pk, version.pk = cursor.fetchone()
    for instance in (voeu, version):
        instance._state.adding, instance._state.db = False, using.alias


def cancel_demande(*, demande: Demande, auteur: Agent, version: int | None) -> Demande:
    """A volontaire withdraws once the saisie is closed, until the cancellation deadline."""
    with transaction.atomic():
        locked = lock_demande(demande.pk, version, guard=None)
        now = timezone.now()
        if locked.campagne.saisie_ouverte(now):
            raise PhaseFermee(_("Pendant la saisie, il suffit de supprimer vos vœux pour ne pas participer."))
        if not locked.campagne.annulation_ouverte(now):
            raise PhaseFermee(
                _("Les annulations ne sont acceptées qu'entre la fermeture de la saisie et le %(date)s.")
                % {"date": moment(locked.campagne.annulation_fin)}
            )
        if locked.est_obligatoire:
            raise PhaseFermee(_("Votre participation est obligatoire\u00a0: votre demande ne peut pas être annulée."))
        if locked.etat == EtatDemande.ANNULEE:
            return locked
        locked.etat = EtatDemande.ANNULEE
        locked.annulee_le = timezone.now()
        locked.save(update_fields=["etat", "annulee_le"])
        record_change(locked, auteur=auteur, action=_("Demande annulée"))
    return locked
