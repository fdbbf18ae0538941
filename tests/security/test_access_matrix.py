"""Access-control matrix: every URL the resolver knows × every role × GET and POST, against one table.

The cases come from Django's URL resolver, not from a hand list: a page added tomorrow is requested
by every role at once, and fails with « add '<name>' to EXPECTATIONS in tests/security/test_access_matrix.py »
until its expected outcomes are declared below.

Roles: anonymous, teacher A (who owns every object the URLs name), teacher B (on A's objects), a staff
member without group (TOTP enrolled), rectorat, DRH. Outcomes: 200, login (redirect to a login page),
redirect (anywhere else), 400, 403, 404, 405, 409, and « allowed » (200 or a redirect that is not a login).
POSTs carry no data (CSRF is checked in test_csrf.py): what matters here is who gets through.

The admin follows one rule instead of a row per page (admin_outcome below):
anonymous and teachers are sent to the login, and staff reach a model's pages exactly when the
permissions their group declares (`<app>/roles.py`) allow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from accounts.models import Agent
from dossier.models import CVContact, CVEntry, SignalementErreur
from iprof.courrier.models import Conversation, Message
from lib.roles import DRH, RECTORAT
from siam.models import Demande, MotifDeclare, PieceJustificative, Voeu
from siam.models.bareme import BaremeVoeu, Contestation
from tests.security.conftest import (
    ALLOWED,
    ANON,
    BAD_REQUEST,
    CONFLICT,
    DRH_ROLE,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PDF,
    RECT,
    REDIRECT,
    ROLES,
    STAFF,
    A,
    B,
    Route,
    World,
    all_routes,
    matches,
    outcome,
)

Pair = tuple[str, str]  # (GET, POST)
STAFF_ROLES = (STAFF, RECT, DRH_ROLE)
# Objects of teacher A: teacher B (and staff, unless a permission says otherwise) must get a 404 on each.
OWNED_BY_A = {
    "dossier",
    "cv_entry",
    "cv_entry_2",
    "cv_contact",
    "signalement",
    "conversation",
    "message",
    "attachment",
    "reply_attachment",
    "demande",
    "voeu",
    "motif",
    "piece",
    "demande_resultats",
    "demande_affichage",
    "voeu_resultats",
    "contestation",
    "resultat",
    "bareme_voeu",
    "candidature",
}


@dataclass(frozen=True)
class Expect:
    """Expected (GET, POST) outcomes per role; ``obj`` names the world object whose keys fill the URL."""

    roles: dict[str, Pair]
    obj: str | None = None
    kwargs: dict[str, str] = field(default_factory=dict)
    variant: str = ""

    def but(self, *, obj: str | None = None, variant: str = "", **roles: Pair) -> Expect:
        assert set(roles) <= set(ROLES), f"unknown roles {set(roles) - set(ROLES)}"
        return Expect({**self.roles, **roles}, obj or self.obj, self.kwargs, variant or self.variant)


def _same(pair: Pair, *, anon: Pair) -> dict[str, Pair]:
    return {ANON: anon, **dict.fromkeys(ROLES[1:], pair)}


# Presets: the shapes most pages have. Overrides name the role whose outcome differs.
def public(post: str = NOT_ALLOWED) -> Expect:
    return Expect(dict.fromkeys(ROLES, (OK, post)))


def portal_page(obj: str | None = None) -> Expect:
    """GET-only page for any logged-in agent (require_GET outside login_required: POST is 405 for all)."""
    return Expect(_same((OK, NOT_ALLOWED), anon=(LOGIN, NOT_ALLOWED)), obj)


def portal_form(post: str) -> Expect:
    """GET and POST for any logged-in agent, on their own data (an empty POST: ``post``)."""
    return Expect(_same((OK, post), anon=(LOGIN, LOGIN)))


def own_page(obj: str) -> Expect:
    """GET-only page of one of A's objects: 404 for anybody else."""
    return Expect(_same((NOT_FOUND, NOT_ALLOWED), anon=(LOGIN, NOT_ALLOWED)) | {A: (OK, NOT_ALLOWED)}, obj)


def own_form(obj: str, post: str) -> Expect:
    """GET and POST on one of A's objects: 404 for anybody else."""
    return Expect(_same((NOT_FOUND, NOT_FOUND), anon=(LOGIN, LOGIN)) | {A: (OK, post)}, obj)


def own_action(obj: str, post: str) -> Expect:
    """POST-only action on one of A's objects (require_POST outside login_required: GET is 405 for all)."""
    return Expect(_same((NOT_ALLOWED, NOT_FOUND), anon=(NOT_ALLOWED, LOGIN)) | {A: (NOT_ALLOWED, post)}, obj)


def staff_only(roles: tuple[str, ...], allowed: Pair, *, anon: Pair) -> Expect:
    return Expect(
        _same((FORBIDDEN, allowed[1] if allowed[1] == NOT_ALLOWED else FORBIDDEN), anon=anon)
        | dict.fromkeys(roles, allowed)
    )


LOGGED_IN_REDIRECT = _same((REDIRECT, REDIRECT), anon=(LOGIN, LOGIN))

EXPECTATIONS: dict[str, Expect | list[Expect]] = {
    # --- the portal shell and accounts -------------------------------------------------------
    "home": portal_page(),
    "sante": public(),
    "services": portal_page(),
    # the State-site pages of the footer: anybody, logged in or not, GET only
    "accessibilite": public(),
    "mentions-legales": public(),
    "donnees-personnelles": public(),
    "cookies": public(),
    "plan-du-site": public(),
    "accounts:logout": Expect(dict.fromkeys(ROLES, (NOT_ALLOWED, REDIRECT))),  # POST only, never GET
    "accounts:logged-out": public(),
    "accounts:identifiant-oublie": public(post=OK),
    "accounts:aide-connexion": public(),
    "accounts:securite": portal_page(),
    # --- allauth: login, sign-up (closed), password, e-mail, second factor ---------------------
    "account_login": Expect(_same((REDIRECT, REDIRECT), anon=(OK, OK))),
    "account_logout": Expect(_same((OK, REDIRECT), anon=(REDIRECT, REDIRECT))),
    "account_inactive": public(),
    # accounts are created by the administration: the page says sign-up is closed (see test below)
    "account_signup": Expect(_same((REDIRECT, REDIRECT), anon=(OK, OK))),
    "account_reauthenticate": Expect(_same((OK, OK), anon=(LOGIN, LOGIN))),
    # reauthentication by an e-mailed code is switched off (ACCOUNT_REAUTHENTICATION_METHODS): refused
    "account_request_reauthentication_code": Expect(_same((FORBIDDEN, FORBIDDEN), anon=(LOGIN, LOGIN))),
    "account_confirm_reauthentication_code": Expect(_same((FORBIDDEN, FORBIDDEN), anon=(LOGIN, LOGIN))),
    # the address is the one the administration holds: a read-only page replaces allauth's e-mail
    # management, at the same address (so allauth's account_email resolves to it too)
    "account-email-gere": portal_page(),
    "account_email": portal_page(),
    "account_email_verification_sent": public(),
    "account_change_password": Expect(_same((OK, OK), anon=(LOGIN, LOGIN))),
    "account_set_password": Expect(LOGGED_IN_REDIRECT),  # everybody has a password: sent to « change »
    "account_reset_password": public(post=OK),
    "account_confirm_login_code": Expect(LOGGED_IN_REDIRECT),
    "account_confirm_email": Expect(dict.fromkeys(ROLES, (OK, NOT_FOUND)), kwargs={"key": "cle-inconnue"}),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": Expect(
        dict.fromkeys(ROLES, (OK, OK)), kwargs={"uidb36": "1", "key": "cle-inconnue"}
    ),  # an unknown key: « ce lien n'est plus valide », nothing changes
    "account_reset_password_done": public(),
    "mfa_index": Expect(_same((OK, NOT_ALLOWED), anon=(LOGIN, LOGIN))),
    "mfa_authenticate": Expect(LOGGED_IN_REDIRECT),  # only during a login in progress
    "mfa_reauthenticate": Expect(
        _same((REDIRECT, REDIRECT), anon=(LOGIN, LOGIN)) | dict.fromkeys(STAFF_ROLES, (OK, OK))
    ),  # teachers have no TOTP: sent to the password reauthentication
    "mfa_activate_totp": Expect(LOGGED_IN_REDIRECT),  # reauthenticate first
    "mfa_deactivate_totp": Expect(
        _same((NOT_FOUND, NOT_FOUND), anon=(LOGIN, LOGIN)) | dict.fromkeys(STAFF_ROLES, (REDIRECT, REDIRECT))
    ),
    "mfa_view_recovery_codes": Expect(_same((NOT_FOUND, NOT_ALLOWED), anon=(LOGIN, LOGIN))),
    "mfa_generate_recovery_codes": Expect(LOGGED_IN_REDIRECT),
    "mfa_download_recovery_codes": Expect(_same((NOT_FOUND, NOT_FOUND), anon=(LOGIN, LOGIN))),
    # --- Votre courrier --------------------------------------------------------------------------
    "courrier:inbox": portal_page(),
    "courrier:message": own_page("message"),
    "courrier:message-unread": own_action("message", REDIRECT),
    "courrier:attachment": [
        # the DRH reads every posted courrier (courrier.view_message), attachments included
        own_page("attachment").but(drh=(OK, NOT_ALLOWED), variant="courrier-drh"),
        # the correspondant de gestion (rectorat, courrier.answer_conversation) reads the exchange
        own_page("reply_attachment").but(rectorat=(OK, NOT_ALLOWED), variant="reponse-du-rectorat"),
    ],
    "courrier:conversations": portal_page(),
    "courrier:conversation-new": portal_form(OK),
    "courrier:conversation": own_form("conversation", OK),
    "courrier:gestion": staff_only((RECT,), (OK, NOT_ALLOWED), anon=(LOGIN, NOT_ALLOWED)),
    "courrier:gestion-conversation": staff_only((RECT,), (OK, OK), anon=(LOGIN, LOGIN)).but(obj="conversation"),
    "courrier:diffusion": staff_only((DRH_ROLE,), (OK, OK), anon=(LOGIN, LOGIN)),
    "courrier:diffusion-send": Expect(
        _same((NOT_ALLOWED, FORBIDDEN), anon=(NOT_ALLOWED, LOGIN)) | {DRH_ROLE: (NOT_ALLOWED, OK)}
    ),
    # --- Les guides ------------------------------------------------------------------------------
    "guides:list": portal_page(),
    "guides:guide": [
        portal_page("guide").but(variant="publie"),
        # a draft: only staff who may read guides (guides.view_guide) see it
        own_page("draft_guide").but(
            teacher_a=(NOT_FOUND, NOT_ALLOWED), rectorat=(OK, NOT_ALLOWED), drh=(OK, NOT_ALLOWED), variant="brouillon"
        ),
    ],
    "guides:fichier": [
        portal_page("guide_file").but(variant="publie"),
        own_page("draft_file").but(
            teacher_a=(NOT_FOUND, NOT_ALLOWED), rectorat=(OK, NOT_ALLOWED), drh=(OK, NOT_ALLOWED), variant="brouillon"
        ),
    ],
    # --- Votre dossier, Vos perspectives, Votre CV ---------------------------------------------------
    "dossier:dossier": portal_page(),
    "dossier:signaler": portal_form(OK),
    "dossier:perspectives": portal_page(),
    "dossier:cv": portal_page(),
    "dossier:cv-add": portal_form(OK),
    "dossier:cv-contact": portal_form(REDIRECT),  # every field is optional: an empty POST saves
    "dossier:cv-edit": own_form("cv_entry", OK),
    "dossier:cv-delete": own_form("cv_entry", REDIRECT),  # GET asks for the confirmation
    "dossier:cv-move-up": own_action("cv_entry_2", REDIRECT),
    "dossier:cv-move-down": own_action("cv_entry", REDIRECT),
    # --- SIAM ------------------------------------------------------------------------------------------
    "siam:home": portal_page(),
    "siam:postes": portal_page("campagne"),
    # redirects to the visitor's own demande; without one (staff here), a page offering to start one
    "siam:demande-open": Expect(_same((REDIRECT, NOT_ALLOWED), anon=(LOGIN, NOT_ALLOWED)), "campagne").but(
        **dict.fromkeys(STAFF_ROLES, (OK, NOT_ALLOWED))  # type: ignore[arg-type]
    ),
    # « Commencer ma demande »: A and B find theirs; staff without a dossier are refused (message, redirect)
    "siam:demande-start": Expect(_same((NOT_ALLOWED, REDIRECT), anon=(NOT_ALLOWED, LOGIN)), "campagne"),
    "siam:resultat": own_page("campagne_resultats"),  # a non-participant gets 404
    "siam:demande": own_page("demande"),
    "siam:motif-add": own_action("demande", BAD_REQUEST),
    "siam:demande-cancel": own_action("demande", CONFLICT),  # no version sent: refused as a conflict
    "siam:motif-remove": own_action("motif", CONFLICT),
    "siam:voeux": own_page("demande"),
    "siam:voeu-add": own_action("demande", BAD_REQUEST),
    "siam:voeu-remove": own_action("voeu", CONFLICT),
    "siam:voeu-move": own_action("voeu", CONFLICT),
    "siam:voeu-move-to": own_action("voeu", BAD_REQUEST),  # no rang sent: « Indiquez le rang… »
    # a post of the list is anybody's to read; the POST only ever adds to the visitor's own demande: an
    # empty POST (no version) is refused as a conflict, or « commencez d'abord votre demande », back to the list
    "siam:poste-voeu-add": Expect(_same((NOT_ALLOWED, REDIRECT), anon=(NOT_ALLOWED, LOGIN)), "poste"),
    "siam:confirmation": [
        own_page("demande_resultats").but(variant="apres-la-saisie"),
        # during the saisie the PDF is not available yet: back to the demande with a message
        own_page("demande").but(teacher_a=(REDIRECT, NOT_ALLOWED), variant="pendant-la-saisie"),
    ],
    "siam:pieces": own_form("demande", BAD_REQUEST),
    # the rectorat and the DRH examine pièces (siam.view_piecejustificative); only the owner withdraws one
    "siam:piece-file": own_page("piece").but(rectorat=(OK, NOT_ALLOWED), drh=(OK, NOT_ALLOWED)),
    "siam:piece-delete": own_action("piece", REDIRECT),
    # --- SIAM barème pages ---------------------------------------------------------------------------
    "siam:bareme": [
        # first: the page with the contestation form (the hostile-input battery attacks the first variant)
        own_page("demande_affichage").but(variant="affichage"),
        own_page("demande").but(variant="provisoire"),
        own_page("demande_resultats").but(variant="definitif"),
    ],
    "siam:contestation-add": [
        own_action("demande_affichage", BAD_REQUEST).but(variant="affichage"),  # an empty request: refused
        # outside the display of barèmes: refused whatever is sent
        own_action("demande_resultats", BAD_REQUEST).but(variant="apres-affichage"),
    ],
    # staff who examine contestations (siam.view_contestation) read the pièce
    "siam:contestation-piece": own_page("contestation").but(rectorat=(OK, NOT_ALLOWED), drh=(OK, NOT_ALLOWED)),
    "siam:departage": portal_page("campagne_resultats"),
    # --- SIAM mouvement spécifique (postes à profil) and published barres ------------------------------
    "siam:spea": portal_page(),
    # a profiled post of the teacher's discipline (B teaches the same); staff have no dossier: 404
    "siam:spea-candidater": Expect(
        _same((NOT_FOUND, NOT_FOUND), anon=(LOGIN, LOGIN)) | dict.fromkeys((A, B), (OK, BAD_REQUEST)), "spea_poste"
    ),
    "siam:spea-candidature": own_page("candidature"),
    # the rectorat and the DRH read the letter (siam.view_candidaturespea); only the candidate withdraws
    "siam:spea-lettre": own_page("candidature").but(rectorat=(OK, NOT_ALLOWED), drh=(OK, NOT_ALLOWED)),
    "siam:spea-retirer": own_action("candidature", REDIRECT),
    "siam:barres": portal_page("campagne_resultats"),
    "siam:barres-csv": portal_page("campagne_resultats"),
}

# Names declared before their URL exists (a page being built elsewhere): not reported as stale meanwhile.
ANTICIPATED: set[str] = set()


# --- The admin: one rule, driven by the permissions each role declares ------------------------------

ADMIN_ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # suffix of the URL name: (permissions any of which opens GET, … opens POST)
    "changelist": (("view", "change"), ("view", "change")),
    "add": (("add",), ("add",)),
    "change": (("view", "change"), ("change",)),
    "delete": (("delete",), ("delete",)),
    "history": (("view", "change"), ("view", "change")),
}
SUPERUSER_ONLY = "<superuser>"  # a permission no role declares
# The project's own admin views: (permissions all needed, outcome when allowed, outcome when refused).
ADMIN_CUSTOM: dict[str, tuple[tuple[str, ...], Pair, Pair]] = {
    "admin:dossier_dossier_import": (("accounts.add_agent", "dossier.add_dossier"), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    "admin:dossier_dossier_import_template": (
        ("accounts.add_agent", "dossier.add_dossier"),
        (OK, OK),
        (FORBIDDEN, FORBIDDEN),
    ),
    "admin:dossier_etablissement_import": (
        ("dossier.add_etablissement", "dossier.change_etablissement"),
        (OK, OK),
        (FORBIDDEN, FORBIDDEN),
    ),
    "admin:dossier_etablissement_import_template": (
        ("dossier.add_etablissement", "dossier.change_etablissement"),
        (OK, OK),
        (FORBIDDEN, FORBIDDEN),
    ),
    # one import page for every importer (dossier.admin.imports): refused by permission, 403
    "admin:siam_poste_import": (("siam.add_poste", "siam.change_poste"), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    "admin:siam_poste_import_template": (("siam.add_poste", "siam.change_poste"), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    "admin:siam_capaciteaccueil_import": (
        ("siam.add_capaciteaccueil", "siam.change_capaciteaccueil"),
        (OK, OK),
        (FORBIDDEN, FORBIDDEN),
    ),
    "admin:siam_capaciteaccueil_import_template": (
        ("siam.add_capaciteaccueil", "siam.change_capaciteaccueil"),
        (OK, OK),
        (FORBIDDEN, FORBIDDEN),
    ),
    "admin:siam_mouvementrun_launch": (("siam.run_mouvement",), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    # a single run: nothing to compare with, back to the run
    "admin:siam_mouvementrun_compare": (("siam.view_mouvementrun",), (REDIRECT, REDIRECT), (FORBIDDEN, FORBIDDEN)),
    "admin:siam_mouvementrun_publish": (("siam.publish_mouvement",), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    # nobody but a superuser sets an agent's password (agents choose theirs: « Mot de passe oublié ? »)
    "admin:auth_user_password_change": ((SUPERUSER_ONLY,), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    # exports of the filtered list (django-import-export): whoever may view the list (the POST without
    # data shows the form again)
    "admin:siam_demande_export": (("siam.view_demande",), (OK, OK), (FORBIDDEN, FORBIDDEN)),
    "admin:siam_mouvementresultat_export": (("siam.view_mouvementresultat",), (OK, OK), (FORBIDDEN, FORBIDDEN)),
}
# Admin pages refused to every staff role whatever the permissions declared, and why.
ADMIN_REFUSED: dict[str, str] = {
    "admin:siam_demande_add": "a demande is the teacher's own act, made in SIAM (DemandeAdmin.has_add_permission)",
}
# Pages of the admin site itself, for staff (anonymous and teachers: see admin_outcome).
ADMIN_SITE: dict[str, Pair] = {
    "admin:index": (OK, OK),
    "admin:login": (REDIRECT, OK),  # already logged in: GET goes to the index
    "admin:logout": (NOT_ALLOWED, OK),  # POST only
    "admin:password_change": (REDIRECT, REDIRECT),  # to the portal's page, which journals and notifies
    "admin:password_change_done": (OK, NOT_ALLOWED),
    "admin:jsi18n": (OK, NOT_ALLOWED),
    "admin:autocomplete": (FORBIDDEN, NOT_ALLOWED),  # no field named: refused
    "admin:view_on_site": (REDIRECT, REDIRECT),  # to the object's page, which checks who asks
}
ROLE_GROUP = {STAFF: None, RECT: RECTORAT, DRH_ROLE: DRH}
ADMIN_ROLES = (ANON, A, STAFF, RECT, DRH_ROLE)  # teacher B adds nothing to A in the admin
# Each admin page costs a full render: every gate is asked once, not every page × method.
# Anonymous and teachers GET every admin URL (a view registered without admin_site.admin_view would let
# them in) and POST the project's own admin views. Staff ask each permission gate of a model once:
# view (changelist GET; change GET), add (add GET), change (change POST), delete (delete POST). The other
# combinations ask Django the same question (history: view; add POST: add; delete GET: delete).
ADMIN_STAFF_METHODS: dict[str, tuple[str, ...]] = {
    "changelist": ("GET",),
    "add": ("GET",),
    "change": ("GET", "POST"),
    "delete": ("POST",),
    "history": (),
}


def admin_methods(route: Route, role: str) -> tuple[str, ...]:
    name = route.name
    if name in ADMIN_SITE or name in ADMIN_CUSTOM:
        return ("GET", "POST")
    if role in (ANON, A) or name.startswith("admin:<") or model_admin_of(route) is None:
        return ("GET",)
    methods = ADMIN_STAFF_METHODS.get(name.rsplit("_", 1)[-1], ("GET", "POST"))
    if role == STAFF and methods == ("GET", "POST"):
        return ("POST",)  # without any permission: the view gate is asked by the changelist already
    return methods


# The rights each staff role is expected to hold, written out by hand: the matrix below reads this table,
# never roles.py (the table the application syncs into its groups), so a grant added there by mistake opens
# a page this table says is refused, and the case fails. Model: the verbs held on it.
EXPECTED_RIGHTS: dict[str, dict[str, str]] = {
    RECT: {
        "accounts.agent": "add change view",
        "accounts.auditevent": "view",
        "courrier.conversation": "answer view",
        "courrier.correspondantgestion": "add change delete view",
        "dossier.academie": "add change view",
        "dossier.affectation": "add change delete view",
        "dossier.commune": "add change view",
        "dossier.conditionpromotion": "add change view",
        "dossier.corps": "add change view",
        "dossier.cvcontact": "view",
        "dossier.cventry": "view",
        "dossier.departement": "add change view",
        "dossier.diplome": "add change delete view",
        "dossier.discipline": "add change view",
        "dossier.dossier": "add change view",
        "dossier.dossierchange": "view",
        "dossier.echelonduree": "add change view",
        "dossier.echelonhistorique": "add change delete view",
        "dossier.enfant": "add change delete view",
        "dossier.etablissement": "add change view",
        "dossier.formation": "add change delete view",
        "dossier.grade": "add change view",
        "dossier.groupementcommunes": "add change view",
        "dossier.signalementerreur": "change view",
        "dossier.zoneremplacement": "add change view",
        "guides.guide": "add change delete view",
        "guides.piecejointeguide": "add change delete view",
        "siam.baremechange": "view",
        "siam.baremecorrection": "add change delete view",
        "siam.campagne": "add change delete view",
        "siam.candidaturespea": "change view",
        "siam.capaciteaccueil": "add change delete view",
        "siam.contestation": "change view",
        "siam.demande": "add change view",
        "siam.demandeversion": "view",
        "siam.motifdeclare": "change view",
        "siam.mouvement": "run",
        "siam.mouvementresultat": "view",
        "siam.mouvementrun": "view",
        "siam.piecejustificative": "change view",
        "siam.poste": "add change delete view",
        "siam.reglebareme": "add change delete view",
        "siam.reglesbareme": "change view",
        "siam.tableextension": "add change delete view",
        "siam.tiragedepartage": "view",
        "siam.verificationbareme": "change view",
        "siam.voeu": "view",
    },
    # the DRH reads, posts courrier and publishes results; it changes nothing in the admin
    DRH_ROLE: {
        "accounts.agent": "view",
        "courrier.courrier": "post",
        "courrier.envoi": "view",
        "courrier.message": "view",
        "dossier.affectation": "view",
        "dossier.diplome": "view",
        "dossier.dossier": "view",
        "dossier.dossierchange": "view",
        "dossier.echelonhistorique": "view",
        "dossier.enfant": "view",
        "dossier.formation": "view",
        "guides.guide": "view",
        "siam.baremechange": "view",
        "siam.baremecorrection": "view",
        "siam.campagne": "view",
        "siam.candidaturespea": "view",
        "siam.capaciteaccueil": "view",
        "siam.contestation": "view",
        "siam.demande": "view",
        "siam.demandeversion": "view",
        "siam.motifdeclare": "view",
        "siam.mouvement": "publish",
        "siam.mouvementresultat": "view",
        "siam.mouvementrun": "view",
        "siam.piecejustificative": "view",
        "siam.poste": "view",
        "siam.reglebareme": "view",
        "siam.reglesbareme": "view",
        "siam.tableextension": "view",
        "siam.tiragedepartage": "view",
        "siam.verificationbareme": "view",
        "siam.voeu": "view",
    },
}


def declared_permissions(role: str) -> set[str]:
    """The rights ``role`` is expected to hold, from EXPECTED_RIGHTS ("siam.change_poste"…)."""
    rights = EXPECTED_RIGHTS.get(role, {})
    return {
        f"{model.split('.')[0]}.{verb}_{model.split('.')[1]}"
        for model, verbs in rights.items()
        for verb in verbs.split()
    }


def model_admin_of(route: Route) -> ModelAdmin[Any] | None:
    callback = route.pattern.callback
    found = getattr(callback, "model_admin", None) or getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return found if isinstance(found, ModelAdmin) else None


def admin_outcome(route: Route, role: str, method: str, *, visible: bool = True) -> str:
    """``visible``: the object of the URL is in what the model's admin shows this role (its get_queryset)."""
    index = 0 if method == "GET" else 1
    if role in (ANON, A, B):
        if route.name == "admin:logout":
            return REDIRECT
        if route.name == "admin:login" and role != ANON:
            return FORBIDDEN  # a teacher is refused, never shown the admin's login form
        return LOGIN
    perms = declared_permissions(role)
    if route.name in ADMIN_SITE:
        return ADMIN_SITE[route.name][index]
    if route.name in ADMIN_REFUSED:
        return FORBIDDEN
    if route.name in ADMIN_CUSTOM:
        needed, allowed, refused = ADMIN_CUSTOM[route.name]
        return (allowed if set(needed) <= perms else refused)[index]
    if route.name == "admin:app_list":  # /admin/siam/
        return OK if any(p.startswith("siam.") for p in perms) else NOT_FOUND
    if route.name.startswith("admin:<"):
        # the catch-all answers 404; « <object_id>/ » redirects to « <object_id>/change/ », which checks
        return NOT_FOUND if "(?P<url>" in route.route else REDIRECT
    model_admin = model_admin_of(route)
    action = route.name.rsplit("_", 1)[-1]
    if model_admin is None or action not in ADMIN_ACTIONS:
        raise AssertionError(
            f"add '{route.name}' to ADMIN_CUSTOM in tests/security/test_access_matrix.py "
            "(which permissions open it, what staff get when allowed and when refused)"
        )
    if action == "history" and not visible:
        return REDIRECT  # Django looks the object up before the permission: « n'existe pas », back to the index
    opts = model_admin.model._meta
    codes = {f"{opts.app_label}.{verb}_{opts.model_name}" for verb in ADMIN_ACTIONS[action][index]}
    return ALLOWED if codes & perms else FORBIDDEN


def visible_in_admin(w: World, route: Route, role: str, values: dict[str, Any]) -> bool:
    model_admin = model_admin_of(route)
    if model_admin is None or role not in w.agents or "object_id" not in route.kwargs:
        return True
    request = RequestFactory().get("/admin/")
    request.user = w.agents[role]
    return model_admin.get_queryset(request).filter(pk=values["object_id"]).exists()


def admin_values(w: World, route: Route) -> dict[str, Any]:
    """An object of the admin page's model: A's when the world has one, else any, else a missing id."""
    values: dict[str, Any] = {"app_label": "siam", "url": "nexiste-pas/"}
    if route.name == "admin:view_on_site":
        message = w.obj("message")
        return {"content_type_id": ContentType.objects.get_for_model(message).pk, "object_id": message.pk}
    model_admin = model_admin_of(route)
    staff_page = getattr(route.pattern.callback, "staff_view", None)  # lib.admin_views: a registered staff page
    model = model_admin.model if model_admin is not None else getattr(staff_page, "model", None)
    if model is not None:
        instance = next((o for o in w.objects.values() if type(o) is model), None)
        instance = instance or model._default_manager.order_by("pk").first()
        pk = instance.pk if instance is not None else 0
        values.update(object_id=pk, id=pk, pk=pk)
    return values


# --- The cases ---------------------------------------------------------------------------------------


def expectations_of(name: str) -> list[Expect]:
    found = EXPECTATIONS.get(name)
    return found if isinstance(found, list) else [found] if found else []


def values_for(w: World, route: Route, expect: Expect) -> dict[str, Any]:
    if expect.obj is None:
        return dict(expect.kwargs)
    obj = w.obj(expect.obj)
    values: dict[str, Any] = {"pk": obj.pk, "object_id": obj.pk, "id": obj.pk}
    slug = getattr(obj, "slug", None) or getattr(getattr(obj, "guide", None), "slug", None)
    if slug:
        values["slug"] = slug
    return values | expect.kwargs


ROUTES = {route.name: route for route in all_routes()}


def _cases() -> list[Any]:
    cases = []
    for name, route in ROUTES.items():
        roles = ADMIN_ROLES if route.is_admin else ROLES
        variants = [e.variant for e in expectations_of(name)] or [""]
        for variant in variants:
            label = f"{name}[{variant}]" if variant else name
            for role in roles:
                for method in admin_methods(route, role) if route.is_admin else ("GET", "POST"):
                    cases.append(pytest.param(name, variant, role, method, id=f"{label}-{role}-{method}"))
    return cases


def expected(w: World, name: str, variant: str, role: str, method: str) -> tuple[str, str]:
    """(expected outcome, URL) of one case."""
    route = ROUTES[name]
    if route.is_admin:
        values = admin_values(w, route)
        visible = visible_in_admin(w, route, role, values)
        return admin_outcome(route, role, method, visible=visible), route.url(values)
    expects = [e for e in expectations_of(name) if e.variant == variant]
    if not expects:
        pytest.fail(
            f"add '{name}' to EXPECTATIONS in tests/security/test_access_matrix.py "
            f"(URL /{route.route}, kwargs {list(route.kwargs)}): declare, for each role, what GET and POST must "
            "give, and which of teacher A's objects fills the URL"
        )
    expect = expects[0]
    return expect.roles[role][0 if method == "GET" else 1], route.url(values_for(w, route, expect))


@pytest.mark.parametrize(("name", "variant", "role", "method"), _cases())
def test_access(w: World, name: str, variant: str, role: str, method: str) -> None:
    want, url = expected(w, name, variant, role, method)
    client = w.client(role)
    response = client.get(url) if method == "GET" else client.post(url)
    got = outcome(response)
    assert got != "500", f"{method} {url} as {role}: server error (500)"
    where = f" → {response['Location']}" if got in (LOGIN, REDIRECT) else ""
    assert matches(want, got), f"{method} {url} as {role}: expected {want}, got {got}{where}"


def test_every_url_of_the_resolver_has_an_expectation() -> None:
    missing = [n for n, r in ROUTES.items() if not r.is_admin and not expectations_of(n)]
    assert not missing, "\n".join(f"add '{n}' to EXPECTATIONS in tests/security/test_access_matrix.py" for n in missing)


def test_the_table_names_no_url_that_does_not_exist() -> None:
    stale = sorted(set(EXPECTATIONS) - set(ROUTES) - ANTICIPATED)
    assert not stale, f"EXPECTATIONS names URLs the resolver does not know (renamed or removed?): {stale}"


def test_the_table_gives_teacher_b_404_on_every_object_of_a() -> None:
    """A guard on the table itself: nobody « fixes » a failing case by allowing B in."""
    wrong = []
    for name in EXPECTATIONS:
        for expect in expectations_of(name):
            if expect.obj in OWNED_BY_A:
                get, post = expect.roles[B]
                # a staff page (A refused too) may refuse B by permission before looking the object up
                refusals = (
                    (NOT_FOUND, NOT_ALLOWED, FORBIDDEN) if expect.roles[A][0] == FORBIDDEN else (NOT_FOUND, NOT_ALLOWED)
                )
                if get not in refusals or post not in refusals:
                    wrong.append(f"{name}[{expect.obj}]: {get}/{post}")
    assert not wrong, f"teacher B must get 404 on A's objects: {wrong}"


def test_the_admin_rule_knows_every_admin_page(w: World) -> None:
    for route in ROUTES.values():
        if route.is_admin:
            for role in (RECT, DRH_ROLE):
                admin_outcome(route, role, "GET")


# --- Closed sign-up, and the admin's « droits » fields --------------------------------------------------


def test_sign_up_is_closed_even_to_a_forged_post(w: World) -> None:
    before = Agent.objects.count()
    response = w.client(ANON).post(
        "/compte/signup/",
        {"username": "intrus", "password1": "une phrase assez longue", "password2": "une phrase assez longue"},
    )
    assert response.status_code in (200, 302, 403)
    assert Agent.objects.count() == before
    assert not Agent.objects.filter(identifiant="intrus").exists()


def test_rectorat_cannot_grant_itself_superuser_or_another_group_through_the_agent_admin(w: World) -> None:
    """accounts.change_agent lets the rectorat edit agents; it must not let it raise its own rights."""
    rectorat = w.agents[RECT]
    client = w.client(RECT)
    url = f"/admin/accounts/agent/{rectorat.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "civilite": rectorat.civilite or "",
        "nom": rectorat.nom,
        "nom_famille": rectorat.nom_famille or "",
        "prenom": rectorat.prenom,
        "numen": rectorat.numen or "",
        "email": rectorat.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(g.pk) for g in Group.objects.all()],
        "user_permissions": [str(p.pk) for p in Permission.objects.filter(codename="publish_mouvement")],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    client.post(url, data)
    rectorat.refresh_from_db()
    fresh = Agent.objects.get(pk=rectorat.pk)
    assert not fresh.is_superuser, "the rectorat made itself superuser through /admin/accounts/agent/<id>/change/"
    assert set(fresh.groups.values_list("name", flat=True)) == {RECTORAT}, "the rectorat joined another group"
    assert not fresh.has_perm("siam.publish_mouvement"), "the rectorat granted itself the DRH's publication right"


# --- Extra fields in a teacher's POST change nothing they should not ------------------------------------


def forged_fields(w: World) -> list[tuple[str, str]]:
    """What a tampered form adds: another owner, another demande, a barème, a decision, staff rights."""
    b = w.agents[B]
    return [
        ("agent", str(b.pk)),
        ("agent_id", str(b.pk)),
        ("demande", str(w.obj("demande_b").pk)),
        ("demande_id", str(w.obj("demande_b").pk)),
        ("recipient", str(b.pk)),
        ("sender", str(b.pk)),
        ("bareme", "9999"),
        ("total", "9999"),
        ("statut", "validee"),
        ("statut", "validated"),
        ("statut", "acceptee"),
        ("etat", "enregistree"),
        ("decided_by", str(w.agents[RECT].pk)),
        ("rang", "1"),
        ("ordre", "0"),
        ("reponse", "Accordé."),
        ("repondu_par", str(w.agents[RECT].pk)),
        ("is_staff", "1"),
        ("is_superuser", "1"),
        ("groups", "1"),
        ("envoye_au_courrier", "1"),
    ]


def protected_state(w: World) -> dict[str, Any]:
    """Everything a teacher's form must never move: B's data, A's rights, decisions and barèmes."""
    a, b = w.agents[A], w.agents[B]
    return {
        "agents": list(Agent.objects.order_by("pk").values("pk", "is_staff", "is_superuser", "is_active")),
        "rights": sorted(Agent.groups.through.objects.values_list("agent_id", "group_id"))
        + sorted(Agent.user_permissions.through.objects.values_list("agent_id", "permission_id")),
        "b": [
            list(qs.order_by("pk").values())
            for qs in (
                CVEntry.objects.filter(agent=b),
                CVContact.objects.filter(agent=b),
                SignalementErreur.objects.filter(agent=b),
                Conversation.objects.filter(agent=b),
                Message.objects.filter(recipient=b),
                Demande.objects.filter(agent=b),
                Voeu.objects.filter(demande__agent=b),
            )
        ],
        # by pk: rows a valid POST creates are checked apart (they must carry no decision)
        "decisions": {
            (qs.model.__name__, pk): rest
            for qs, fields in (
                (MotifDeclare.objects.all(), ("statut", "decided_by")),
                (PieceJustificative.objects.all(), ("statut", "decided_by")),
                (SignalementErreur.objects.all(), ("statut", "agent")),
                (Contestation.objects.all(), ("statut", "repondu_par", "demande")),
                (BaremeVoeu.objects.all(), ("total",)),
                (Demande.objects.filter(agent=a), ("etat", "participation")),
            )
            for pk, *rest in qs.values_list("pk", *fields)
        },
        "owners": [
            sorted(CVEntry.objects.filter(agent=a).values_list("pk", flat=True)),
            sorted(Conversation.objects.filter(agent=a).values_list("pk", flat=True)),
        ],
    }


def _teacher_forms(w: World) -> dict[str, tuple[str, dict[str, Any]]]:
    """Valid submissions of every teacher form: the forged fields ride along with a POST that succeeds."""
    demande, voeu = w.obj("demande"), w.obj("voeu")
    version = type(demande).objects.get(pk=demande.pk).version
    return {
        "dossier:cv-add": ("/dossier/cv/ajouter/", {"section": "langue", "titre": "Anglais C1"}),
        "dossier:cv-edit": (
            f"/dossier/cv/{w.obj('cv_entry').pk}/modifier/",
            {"section": "diplome", "titre": "Master 2"},
        ),
        "dossier:cv-contact": ("/dossier/cv/contact/", {"email": "nouvelle@example.org", "telephone": "0473000001"}),
        "dossier:signaler": ("/dossier/signaler/", {"rubrique": "identite", "message": "Mon nom d'usage est faux."}),
        "courrier:conversation-new": ("/courrier/correspondant/nouveau/", {"sujet": "Question", "corps": "Bonjour."}),
        "courrier:conversation": (f"/courrier/correspondant/{w.obj('conversation').pk}/", {"corps": "Merci."}),
        "siam:voeu-add": (
            f"/siam/demandes/{demande.pk}/voeux/ajouter/",
            {"type": "COM", "code": "63113", "filtre": "TOUT", "version": version},
        ),
        "siam:voeu-move": (f"/siam/voeux/{voeu.pk}/deplacer/", {"direction": "up", "version": version}),
        "siam:motif-add": (f"/siam/demandes/{demande.pk}/motifs/", {"motif": "handicap", "version": version}),
        "siam:contestation-add": (
            f"/siam/demandes/{w.obj('demande_affichage').pk}/bareme/contester/",
            {"motif": "Mon rapprochement de conjoints manque."},
        ),
        "siam:pieces": (
            f"/siam/demandes/{demande.pk}/pieces/",
            {"fichier": SimpleUploadedFile("attestation.pdf", PDF), "description": "Attestation"},
        ),
    }


MASS_ASSIGNMENT_FORMS = [
    "dossier:cv-add", "dossier:cv-edit", "dossier:cv-contact", "dossier:signaler", "courrier:conversation-new",
    "courrier:conversation", "siam:voeu-add", "siam:voeu-move", "siam:motif-add", "siam:pieces", "siam:contestation-add",
]  # fmt: skip


@pytest.mark.parametrize("name", MASS_ASSIGNMENT_FORMS)
def test_forged_extra_fields_in_a_teacher_post_change_nothing_they_should_not(w: World, name: str) -> None:
    url, data = _teacher_forms(w)[name]
    before = protected_state(w)
    payload: dict[str, Any] = {}
    for key, value in forged_fields(w):
        payload.setdefault(key, []).append(value)
    for key, value in data.items():
        payload[key] = value  # the form's own fields keep their valid value
    response = w.client(A).post(url, payload)
    assert response.status_code == 302, f"POST {url}: {response.status_code} — the valid submission was refused"
    after = protected_state(w)
    for part in ("agents", "rights", "b"):
        assert after[part] == before[part], f"POST {url} with forged fields changed {part}"
    changed = {
        k: (v, after["decisions"].get(k)) for k, v in before["decisions"].items() if after["decisions"].get(k) != v
    }
    assert not changed, f"POST {url} with forged fields changed decisions: {changed}"
    assert set(before["owners"][0]) <= set(after["owners"][0]) and set(before["owners"][1]) <= set(after["owners"][1])
    a = w.agents[A]
    # whatever was created belongs to A and carries no decision
    assert not CVEntry.objects.exclude(agent__in=[a, w.agents[B]]).exists()
    assert all(c.agent_id == a.pk for c in Conversation.objects.filter(pk__gt=w.obj("conversation").pk))
    assert not Message.objects.filter(sender=w.agents[B]).exists()
    assert not SignalementErreur.objects.exclude(statut=SignalementErreur.Statut.NOUVEAU).exists()
    assert not MotifDeclare.objects.exclude(statut="declared").exists()
    assert not PieceJustificative.objects.exclude(statut="en_attente").exists()
    assert not Contestation.objects.filter(repondu_par__isnull=False).exists()
    assert not Contestation.objects.exclude(statut="ouverte").exists()
    assert set(Contestation.objects.values_list("demande__agent", flat=True)) <= {a.pk}
    ranks = list(Voeu.objects.filter(demande=w.obj("demande")).order_by("rang").values_list("rang", flat=True))
    assert ranks == list(range(1, len(ranks) + 1))


def test_rectorat_cannot_set_the_password_of_a_drh_account_through_the_agent_admin(w: World) -> None:
    """Setting another staff member's password is taking over their account (and their permissions)."""
    drh = w.agents[DRH_ROLE]
    new = "une phrase choisie par le rectorat"
    response = w.client(RECT).post(
        f"/admin/accounts/agent/{drh.pk}/password/", {"password1": new, "password2": new, "usable_password": "true"}
    )
    drh.refresh_from_db()
    assert not drh.check_password(new), f"the rectorat set the DRH's password ({response.status_code})"


@pytest.mark.parametrize("role", [RECT, DRH_ROLE])
def test_each_staff_group_holds_exactly_the_rights_written_here(db: None, role: str) -> None:
    # the groups as the application synced them (post_migrate), against the hand-written table
    group = Group.objects.get(name=ROLE_GROUP[role])
    held = {f"{app}.{code}" for app, code in group.permissions.values_list("content_type__app_label", "codename")}
    assert sorted(held - declared_permissions(role)) == [], "granted but not expected"
    assert sorted(declared_permissions(role) - held) == [], "expected but not granted"
