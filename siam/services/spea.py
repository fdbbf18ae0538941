"""Mouvement spécifique académique (SPEA): apply to a profiled post, withdraw, review, decide.

Calendar: a candidature is deposited and withdrawn during the saisie des vœux of the post's
campagne (SIAM ranks SPEA vœux first, in the same saisie; a second calendar would be one more
set of dates to get wrong). The rectorat enters the avis and the ranking afterwards and decides
before the general intra is computed: once a run of the campagne is published, nothing changes.
A retained teacher obtains the post hors barème: the post was never in the intra market (profiled
posts are not loaded there), his demande leaves it (``market.load_participants``), and the post he
held, if he is a titulaire of the académie, joins it as one more known vacancy.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dossier.models import CVContact, CVEntry, Dossier, Position
from iprof.courrier.models import Categorie
from iprof.courrier.services import post_courrier
from lib.uploads import sniff
from siam.errors import PhaseFermee, PieceInvalide, SiamError
from siam.models import Campagne, CandidatureSpea, EtatCandidature, MouvementRun, Poste
from siam.models.mouvement import StatutRun
from siam.services.pieces import taille_fr
from siam.text import moment

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from accounts.models import Agent


def max_lettre_bytes() -> int:
    return int(getattr(settings, "SIAM_SPEA_LETTRE_MAX_BYTES", 2 * 1024 * 1024))


def postes_spea(agent: Agent) -> list[Poste]:
    """The profiled posts of the agent's discipline he may apply to now (saisie open, campagne published)."""
    now = timezone.now()
    discipline = Dossier.objects.filter(agent=agent).values("discipline")[:1]
    postes = (
        Poste.objects.for_list()
        .filter(profile=True, discipline__in=discipline, campagne__publiee=True)
        .filter(campagne__saisie_debut__lte=now, campagne__saisie_fin__gt=now)
        .select_related("campagne")
        .order_by("campagne__saisie_fin", "etablissement__nom", "pk")
    )
    return list(postes)


def periode(debut: datetime.date | None, fin: datetime.date | None) -> str:
    """« depuis septembre 2016 », « septembre 2011 – août 2016 »: how the CV page reads dates."""
    if debut is None:
        return ""
    start = date_format(debut, "F Y")
    return (
        _("%(debut)s – %(fin)s") % {"debut": start, "fin": date_format(fin, "F Y")}
        if fin
        else _("depuis %(debut)s") % {"debut": start}
    )


def cv_snapshot(agent: Agent) -> dict[str, Any]:
    """The agent's CV as the reviewers will read it, frozen now (later edits do not reach them)."""
    entries = [
        {
            "section": e.section,
            "rubrique": str(e.get_section_display()),
            "titre": e.titre,
            "organisme": e.organisme,
            "description": e.description,
            "debut": e.date_debut.isoformat() if e.date_debut else "",
            "fin": e.date_fin.isoformat() if e.date_fin else "",
            "periode": periode(e.date_debut, e.date_fin),
        }
        for e in CVEntry.objects.for_agent(agent).order_by("section", "ordre", "pk")
    ]
    found = CVContact.objects.filter(agent=agent).values("email", "telephone").first()
    contact = dict(found) if found else {}
    return {"fige_le": timezone.now().isoformat(), "entrees": entries, "contact": contact}


def _require_saisie(campagne: Campagne) -> None:
    if not campagne.saisie_ouverte(timezone.now()):
        raise PhaseFermee(
            _(
                "Les candidatures sur postes à profil se déposent et se retirent pendant la saisie des vœux (jusqu'au %(fin)s)."
            )
            % {"fin": moment(campagne.saisie_fin)}
        )


def check_lettre(fichier: UploadedFile) -> None:
    size = fichier.size or 0
    if size == 0:
        raise PieceInvalide(_("La lettre de motivation déposée est vide."), field="lettre")
    if size > max_lettre_bytes():
        raise PieceInvalide(
            _("La lettre de motivation dépasse la taille maximale autorisée (%(max)s).")
            % {"max": taille_fr(max_lettre_bytes())},
            field="lettre",
        )
    fichier.seek(0)
    found = sniff(fichier.read(16))
    fichier.seek(0)
    if found is None or found[0] != "application/pdf":
        raise PieceInvalide(
            _("La lettre de motivation doit être un fichier PDF (son contenu a été vérifié, pas son nom)."),
            field="lettre",
        )


def submit_candidature(*, agent: Agent, poste: Poste, lettre: UploadedFile) -> CandidatureSpea:
    if not poste.profile:
        raise SiamError(_("Ce poste n'est pas un poste à profil."))
    _require_saisie(poste.campagne)
    discipline = Dossier.objects.filter(agent=agent).values_list("discipline_id", flat=True).first()
    if discipline != poste.discipline_id:
        raise SiamError(_("Ce poste à profil n'est pas offert dans votre discipline."))
    cv = cv_snapshot(agent)
    if not cv["entrees"]:
        raise SiamError(_("Votre CV est vide\u00a0: complétez « Votre CV » avant de candidater sur un poste à profil."))
    check_lettre(lettre)
    with transaction.atomic():
        if CandidatureSpea.objects.actives().filter(agent=agent, poste=poste).exists():
            raise SiamError(_("Vous avez déjà déposé une candidature sur ce poste."))
        candidature = CandidatureSpea(
            agent=agent,
            campagne=poste.campagne,
            poste=poste,
            lettre_nom=(lettre.name or "lettre.pdf").rsplit("/", 1)[-1][:200],
            lettre_taille=lettre.size or 0,
            cv=cv,
        )
        candidature.lettre.save("lettre.pdf", ContentFile(lettre.read()), save=False)
        candidature.save()
    return candidature


def withdraw_candidature(*, candidature: CandidatureSpea) -> CandidatureSpea:
    """The teacher withdraws his application while the saisie is open; the file stays for the record."""
    _require_saisie(candidature.campagne)
    with transaction.atomic():
        locked = CandidatureSpea.objects.select_for_update().get(pk=candidature.pk)
        if locked.etat != EtatCandidature.DEPOSEE:
            raise SiamError(_("Cette candidature n'est plus en cours d'examen\u00a0: elle ne peut plus être retirée."))
        locked.etat = EtatCandidature.RETIREE
        locked.retiree_le = timezone.now()
        locked.save(update_fields=["etat", "retiree_le"])
    return locked


def require_before_intra(campagne: Campagne) -> None:
    """Decisions come before the general intra: not during its saisie, not once a run is computing or published."""
    if campagne.saisie_ouverte(timezone.now()) or timezone.now() < campagne.saisie_debut:
        raise PhaseFermee(_("Les candidatures se décident après la fermeture de la saisie des vœux."))
    runs = MouvementRun.objects.filter(campagne=campagne)
    if runs.filter(published_at__isnull=False).exists():
        raise PhaseFermee(
            _("Les résultats du mouvement intra sont publiés\u00a0: les décisions SPEA ne peuvent plus changer.")
        )
    if runs.filter(statut=StatutRun.RUNNING).exists():
        raise PhaseFermee(_("Un calcul du mouvement intra est en cours\u00a0: décidez après sa fin, puis relancez-le."))


def decide_candidature(*, candidature: CandidatureSpea, staff: Agent, retenue: bool) -> CandidatureSpea:
    """The recteur's decision, posted to the candidate's courrier (idempotent key)."""
    with transaction.atomic():
        locked = CandidatureSpea.objects.select_for_update().select_related("poste", "campagne").get(pk=candidature.pk)
        require_before_intra(locked.campagne)
        if locked.etat != EtatCandidature.DEPOSEE:
            raise SiamError(
                _("Cette candidature n'est pas en cours d'examen (%(etat)s).") % {"etat": locked.get_etat_display()}
            )
        if not locked.avis_chef or not locked.avis_inspecteur:
            raise SiamError(_("Saisissez l'avis du chef d'établissement et celui de l'inspecteur avant de décider."))
        if retenue:
            _check_retenue(locked)
        locked.etat = EtatCandidature.RETENUE if retenue else EtatCandidature.NON_RETENUE
        locked.decidee_par = staff
        locked.decidee_le = timezone.now()
        locked.courrier_key = f"siam:spea:{locked.pk}:decision"
        locked.save(update_fields=["etat", "decidee_par", "decidee_le", "courrier_key"])
        if retenue:
            release_current_post(locked)
        post_courrier(
            recipients=[locked.agent_id],
            sujet=_("Mouvement spécifique\u00a0: votre candidature sur le poste %(poste)s") % {"poste": locked.poste},
            corps=decision_text(locked),
            key=locked.courrier_key,
            categorie=Categorie.RESULTAT,
            posted_by=staff,
            description=_("Décision SPEA, candidature n° %(pk)s") % {"pk": locked.pk},
        )
    return locked


def _check_retenue(candidature: CandidatureSpea) -> None:
    if candidature.classement is None:
        raise SiamError(_("Classez la candidature avant de la retenir."), field="classement")
    poste = Poste.objects.select_for_update().get(pk=candidature.poste_id)
    if CandidatureSpea.objects.retenues().filter(poste=poste).count() >= max(poste.nombre, 1):
        raise SiamError(_("Tous les postes offerts sur ce profil sont déjà attribués."))
    other = CandidatureSpea.objects.retenues().filter(
        agent_id=candidature.agent_id, campagne_id=candidature.campagne_id
    )
    if other.exists():
        raise SiamError(_("Ce candidat est déjà retenu sur un autre poste à profil de cette campagne."))


def release_current_post(candidature: CandidatureSpea) -> Poste | None:
    """The post a retained titulaire leaves goes to the general intra as one more known vacancy.

    He no longer takes part in the intra (so the run would never free it through a chain).
    """
    dossier = (
        Dossier.objects.filter(agent_id=candidature.agent_id)
        .select_related("etablissement__commune__departement", "zone_remplacement__departement")
        .first()
    )
    if dossier is None or dossier.position != Position.TITULAIRE or dossier.affectation_provisoire:
        return None
    lieu: dict[str, Any]
    if dossier.etablissement is not None:
        lieu, academie = {"etablissement": dossier.etablissement}, dossier.etablissement.commune.departement.academie_id
    elif dossier.zone_remplacement is not None:
        lieu, academie = (
            {"zone_remplacement": dossier.zone_remplacement},
            dossier.zone_remplacement.departement.academie_id,
        )
    else:
        return None
    campagne = candidature.campagne
    if academie != campagne.academie_id or dossier.discipline_id is None:
        return None
    poste, _created = Poste.objects.select_for_update().get_or_create(
        campagne=campagne,
        discipline_id=dossier.discipline_id,
        profile=False,
        **lieu,
        defaults={"nombre": 0, "susceptible_vacant": True},
    )
    Poste.objects.filter(pk=poste.pk).update(nombre=F("nombre") + 1)
    return poste


def decision_text(candidature: CandidatureSpea) -> str:
    poste = candidature.poste
    if candidature.etat == EtatCandidature.RETENUE:
        return _(
            "Votre candidature sur le poste à profil « %(poste)s » est retenue par le recteur. Ce poste vous est "
            "attribué au titre du mouvement spécifique académique.\n\nVos autres vœux du mouvement intra ne sont "
            "plus examinés\u00a0: votre demande ne participe plus au mouvement général."
        ) % {"poste": poste}
    return _(
        "Votre candidature sur le poste à profil « %(poste)s » n'est pas retenue. Vos vœux du mouvement intra "
        "restent examinés au mouvement général.\n\nLes avis émis sur votre candidature sont consultables dans SIAM, "
        "rubrique « Postes à profil »."
    ) % {"poste": poste}


def record_review(
    *,
    candidature: CandidatureSpea,
    avis_chef: str,
    avis_chef_motif: str,
    avis_inspecteur: str,
    avis_inspecteur_motif: str,
    classement: int | None,
) -> CandidatureSpea:
    """Staff enter the two avis and the rectorat's ranking, until the decision."""
    with transaction.atomic():
        locked = CandidatureSpea.objects.select_for_update().get(pk=candidature.pk)
        if locked.etat != EtatCandidature.DEPOSEE:
            raise SiamError(_("Cette candidature n'est plus en cours d'examen\u00a0: ses avis ne changent plus."))
        taken = CandidatureSpea.objects.actives().filter(poste_id=locked.poste_id, classement=classement)
        if classement is not None and taken.exclude(pk=locked.pk).exists():
            raise SiamError(_("Ce rang est déjà donné à une autre candidature sur ce poste."), field="classement")
        locked.avis_chef, locked.avis_chef_motif = avis_chef, avis_chef_motif.strip()
        locked.avis_inspecteur, locked.avis_inspecteur_motif = avis_inspecteur, avis_inspecteur_motif.strip()
        locked.classement = classement
        locked.save(
            update_fields=["avis_chef", "avis_chef_motif", "avis_inspecteur", "avis_inspecteur_motif", "classement"]
        )
    return locked
