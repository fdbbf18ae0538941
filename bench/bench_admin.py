"""The staff back office at the real size: every staff list as a ratio to the admin's own index.

Run: IPROF_ENV=test .venv/bin/python bench/bench_admin.py   (or `make bench`)

In a throwaway database (created, migrated, dropped): ``manage.py mouvement generate`` writes the
synthetic national inter (30,000 participants) and a large intra (20,000 participants × 20 voeux), that
is 50,000 demandes (BENCH_ADMIN_INTER / BENCH_ADMIN_INTRA to change it); then, in a second process, the
staff side a campagne accumulates: declared motifs and their pièces, signed confirmations, barème
corrections asked for, échanges with the correspondant de gestion, a diffusion, journal entries of the
three kinds, and one run of the intra mouvement (its results). Then, in a third process with the
production settings and Django's test Client, a superuser (second factor done, as after a TOTP login)
requests each staff page REPEAT times (after one warm-up): printed per page, the median wall time
(Django and PostgreSQL together), its ratio to the admin index (the staff home with its work queues)
measured in the same run, the SQL queries of one request and the statement repeated most (the sign
of a per-row query). Target (issue 13, point 7): every list ≤ 2× the index.

BENCH_ADMIN_KEEP=1 keeps the database at the end; BENCH_ADMIN_REUSE=1 measures an existing one again
(no generation): for working on the lists; BENCH_ADMIN_ONLY=<part of a label> measures only those pages.
"""

from __future__ import annotations

import datetime
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.server import (  # noqa: E402 - after the path
    PROXY_HEADERS,
    database_url,
    drop_database,
    env_for,
    machine_line,
    recreate_database,
    scoped,
)

DATABASE = "bench_admin"
SEED = "2026"
INTER = os.environ.get("BENCH_ADMIN_INTER", "30000")
INTRA = os.environ.get("BENCH_ADMIN_INTRA", "20000")
REPEAT = int(os.environ.get("BENCH_ADMIN_REPEAT", "7"))
TARGET = 2.0
STEP_TIMEOUT = int(os.environ.get("BENCH_STEP_TIMEOUT", "900"))
STAFF = "benchadmin"
CALENDAR = ("saisie_debut", "saisie_fin", "confirmation_debut", "retour_pieces_fin", "bareme_affichage_debut",
            "bareme_affichage_fin", "baremes_definitifs", "annulation_fin", "resultats")  # fmt: skip


def manage(url: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env_for(url), check=True, timeout=STEP_TIMEOUT)


def in_fresh_process(url: str, step: str, *, production: bool = False) -> None:
    env = env_for(url, production=production, DJANGO_SETTINGS_MODULE="iprof.settings")
    subprocess.run([sys.executable, __file__, step], cwd=ROOT, env=env, check=True, timeout=STEP_TIMEOUT)


def setup_django() -> None:
    import django

    django.setup()


def populate() -> None:
    """The staff side of the synthetic campagnes, bulk-written (the services would take hours at this size)."""
    setup_django()
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat, LPad
    from django.utils import timezone

    from accounts.models import Agent, AuditEvent
    from dossier.models import Dossier, DossierChange
    from iprof.courrier.models import Categorie, Conversation, CorrespondantGestion, Envoi, Message
    from lib.audit.models import LogEntry
    from siam.models import Campagne, Demande, Motif, MotifDeclare, PieceJustificative, StatutMotif, StatutPiece
    from siam.models.bareme import Contestation, ObjetChange
    from siam.services.mouvement import run_mouvement

    started = time.perf_counter()
    now = timezone.now()
    # closing week: both campagnes open (results to come), so that the staff home counts their queues
    for campagne in Campagne.objects.all():
        shift = now + datetime.timedelta(days=20) - campagne.resultats
        Campagne.objects.filter(pk=campagne.pk).update(**{f: F(f) + shift for f in CALENDAR})
    # every agent has a NUMEN (13 characters), which the synthetic generator leaves empty
    numen = Concat(Value("12E"), LPad(Cast("id", CharField()), 10, Value("0")))
    Agent.objects.filter(numen="").update(numen=numen)
    staff = Agent.objects.create(identifiant=STAFF, nom="Admin", prenom="Bench", is_staff=True, is_superuser=True)
    demandes = list(Demande.objects.order_by("pk").values_list("pk", "agent_id", "campagne_id"))
    with transaction.atomic():
        # every 10th demande declares a motif (RQTH): half still to validate, half validated, each with its pièce
        motifs = MotifDeclare.objects.bulk_create(
            (
                MotifDeclare(
                    demande_id=pk,
                    motif=Motif.RQTH,
                    statut=StatutMotif.DECLARE if n % 20 else StatutMotif.VALIDE,
                    decided_by=None if n % 20 else staff,
                )
                for n, (pk, _agent, _campagne) in enumerate(demandes)
                if n % 10 == 0
            ),
            batch_size=5000,
        )

        def piece(demande_id: int, motif_id: int | None, statut: str, n: int) -> PieceJustificative:
            return PieceJustificative(
                demande_id=demande_id, motif_id=motif_id, fichier=f"siam/pieces/bench/{n}.pdf",
                nom_original=f"piece-{n}.pdf", content_type="application/pdf", taille=120_000, statut=statut,
            )  # fmt: skip

        pieces = [
            piece(m.demande_id, m.pk, StatutPiece.EN_ATTENTE if m.statut == StatutMotif.DECLARE else StatutPiece.ACCEPTEE, n)
            for n, m in enumerate(motifs)
        ]  # fmt: skip
        # the signed confirmation of every 3rd demande (no motif)
        pieces += [piece(pk, None, StatutPiece.EN_ATTENTE, n) for n, (pk, _a, _c) in enumerate(demandes) if n % 3 == 0]
        PieceJustificative.objects.bulk_create(pieces, batch_size=5000)
        Contestation.objects.bulk_create(
            (
                Contestation(demande_id=pk, motif="Mon ancienneté dans le poste est fausse.", creee_le=now)
                for n, (pk, _a, _c) in enumerate(demandes)
                if n % 25 == 0
            ),
            batch_size=5000,
        )
        correspondant = CorrespondantGestion.objects.create(libelle="DPE — bureau des mutations", agent=staff)
        conversations = Conversation.objects.bulk_create(
            (
                Conversation(agent_id=agent, correspondant=correspondant, sujet="Question sur ma demande",
                             last_message_at=now)
                for n, (_pk, agent, _c) in enumerate(demandes)
                if n % 15 == 0
            ),
            batch_size=5000,
        )  # fmt: skip
        Message.objects.bulk_create(
            (
                Message(conversation=c, recipient=None, sender_id=c.agent_id, sujet=c.sujet, corps="Bonjour,",
                        categorie=Categorie.CORRESPONDANCE, created_at=now, read_at=None if n % 2 else now)
                for n, c in enumerate(conversations)
            ),
            batch_size=5000,
        )  # fmt: skip
        envoi = Envoi.objects.create(
            key="bench-accuses", sujet="Accusé de réception", categorie=Categorie.ACCUSE_RECEPTION,
            fingerprint="0" * 64, posted_by=staff, recipient_count=len(demandes),
        )  # fmt: skip
        Message.objects.bulk_create(
            (
                Message(envoi=envoi, recipient_id=agent, sujet=envoi.sujet, corps="Votre demande est enregistrée.",
                        categorie=Categorie.ACCUSE_RECEPTION, created_at=now)
                for _pk, agent, _c in demandes
            ),
            batch_size=5000,
        )  # fmt: skip
        # the journal: a dossier change for every 2nd agent, a barème change per motif, logins
        dossier_type = ContentType.objects.get_for_model(Dossier)
        demande_type = ContentType.objects.get_for_model(Demande)
        agent_type = ContentType.objects.get_for_model(Agent)
        dossiers = list(Dossier.objects.order_by("pk").values_list("pk", flat=True)[::2])
        entries = [
            LogEntry(content_type=dossier_type, object_id=pk, action=DossierChange.ACTION, auteur=staff,
                     libelle="échelon", avant="7", apres="8", motif="arrêté de promotion", date=now)
            for pk in dossiers
        ]  # fmt: skip
        entries += [
            LogEntry(content_type=demande_type, object_id=m.demande_id, action=ObjetChange.MOTIF, auteur=staff,
                     libelle="RQTH : validée", motif="pièce reçue", date=now)
            for m in motifs
        ]  # fmt: skip
        entries += [
            LogEntry(content_type=agent_type, object_id=agent, action=AuditEvent.action_of("login"), auteur_id=agent,
                     libelle="connexion réussie", data={"ip": "127.0.0.1"}, date=now)
            for _pk, agent, _c in demandes[::2]
        ]  # fmt: skip
        LogEntry.objects.bulk_create(entries, batch_size=5000)
    print(
        f"staff side: {len(motifs)} motifs, {len(pieces)} pièces, {len(demandes) // 25 + 1} contestations, "
        f"{len(conversations)} échanges, {len(demandes)} courriers, {len(entries)} journal entries "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    started = time.perf_counter()
    intra = Campagne.objects.filter(slug__startswith="synthetique-intra").get()
    run = run_mouvement(campagne=intra, by=None)
    print(f"intra mouvement run: {run.resultats.count()} results in {time.perf_counter() - started:.1f} s", flush=True)


def normalise(sql: str) -> str:
    return re.sub(r"\b\d+\b|'[^']*'", "?", sql)


def pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from accounts.models import Agent, AuditEvent
    from dossier.models import Dossier, DossierChange
    from iprof.courrier.models import Conversation, Message
    from siam.models import Campagne, Demande, MotifDeclare, MouvementResultat, MouvementRun, PieceJustificative
    from siam.models.bareme import BaremeChange, Contestation, VerificationBareme

    def changelist(model: Any, query: str = "") -> str:
        opts = model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + (f"?{query}" if query else "")

    # somebody in the middle of the tables, with a voeu list of a full inter (the largest change page)
    someone = Demande.objects.filter(campagne__slug__startswith="synthetique-inter").order_by("pk")[12_345]
    agent = someone.agent
    intra = Campagne.objects.filter(slug__startswith="synthetique-intra").get()
    nom = agent.nom.split()[0]
    uai = Dossier.objects.filter(etablissement__isnull=False).select_related("etablissement").first().etablissement.uai  # type: ignore[union-attr]
    return [
        ("staff home = admin index", reverse("admin:index")),
        ("app index (dossier)", reverse("admin:app_list", args=["dossier"])),
        ("agents", changelist(Agent)),
        ("agents: search by nom", changelist(Agent, f"q={nom}")),
        ("agents: search by NUMEN", changelist(Agent, f"q={agent.numen}")),
        ("dossiers", changelist(Dossier)),
        ("dossiers: search by NUMEN", changelist(Dossier, f"q={agent.numen}")),
        ("demandes", changelist(Demande)),
        ("demandes: search by nom", changelist(Demande, f"q={nom}")),
        ("demandes: search by UAI", changelist(Demande, f"q={uai}")),
        ("demandes: one campagne", changelist(Demande, f"campagne__id__exact={intra.pk}")),
        ("demandes: queue", changelist(Demande, f"file=obligatoires_sans_voeu&campagne__id__exact={intra.pk}")),
        ("vœux of a demande (fiche)", reverse("admin:siam_demande_change", args=[someone.pk])),
        ("pièces", changelist(PieceJustificative)),
        ("pièces: queue", changelist(PieceJustificative, f"file=pieces_a_verifier&demande__campagne__id__exact={intra.pk}")),
        ("motifs", changelist(MotifDeclare)),
        ("motifs: queue", changelist(MotifDeclare, f"file=motifs_a_valider&demande__campagne__id__exact={intra.pk}")),
        ("contestations", changelist(Contestation)),
        ("barème checks", changelist(VerificationBareme)),
        ("mouvement runs", changelist(MouvementRun)),
        ("mouvement results", changelist(MouvementResultat)),
        ("courrier diffusions (messages)", changelist(Message)),
        ("échanges (admin)", changelist(Conversation)),
        ("gestion inbox /courrier/gestion/", reverse("courrier:gestion")),
        ("journal: dossiers", changelist(DossierChange)),
        ("journal: barèmes", changelist(BaremeChange)),
        ("journal: sécurité", changelist(AuditEvent)),
    ]  # fmt: skip


def measure() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.middleware import SESSION_FLAG
    from accounts.models import Agent
    from siam.models import Demande

    client = Client(headers=PROXY_HEADERS)  # behind the TLS proxy, production settings
    client.force_login(Agent.objects.get(identifiant=STAFF))
    session = client.session
    session[SESSION_FLAG] = True  # the second factor, as after a TOTP login (accounts.middleware)
    session.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would have them after a while
    print(f"data: {Demande.objects.count()} demandes, {Agent.objects.count()} agents")
    print(
        f"median of {REPEAT} requests after one warm-up (in-process test Client, production settings, a superuser); "
        "queries of one request; the statement repeated most when run 3 times or more:"
    )
    timings: dict[str, float] = {}
    reference = 0.0
    only = os.environ.get("BENCH_ADMIN_ONLY", "")  # a part of the labels: measure those pages (and the index)
    for label, url in pages():
        if only and only not in label and not label.startswith("staff home"):
            continue
        response = client.get(url)
        assert response.status_code == 200, (label, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        logged = list(captured.captured_queries)  # before the next request resets the log
        queries = [q["sql"] for q in logged]
        slowest = max(logged, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
        if os.environ.get("BENCH_ADMIN_SQL") == "1":
            for q in logged:
                print(f"      {float(q['time']) * 1000:6.0f} ms  {q['sql'][:400]}")
        spent = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            spent.append(time.perf_counter() - started)
        timings[label] = median = statistics.median(spent)
        reference = reference or median
        repeated = max(((n, sql) for sql, n in Counter(normalise(q) for q in queries).items()), default=(0, ""))
        note = f"  ← {repeated[0]}× {repeated[1][:90]}…" if repeated[0] >= 3 else ""
        ratio = median / reference
        verdict = "" if label.startswith(("staff home", "app index")) else ("  MISSED" if ratio > TARGET else "")
        print(
            f"  {label:<34} {median * 1000:7.0f} ms  {ratio:5.2f}× index  {len(queries):>3} queries  slowest SQL {float(slowest['time']) * 1000:5.0f} ms"
            f"{verdict}{note}",
            flush=True,
        )
    lists = {k: v / reference for k, v in timings.items() if not k.startswith(("staff home", "app index"))}
    worst = max(lists, key=lists.__getitem__)
    met = sum(r <= TARGET for r in lists.values())
    print(
        f"index (reference) {reference * 1000:.0f} ms; {met}/{len(lists)} pages ≤ {TARGET:.0f}× the index; "
        f"slowest: {worst} {lists[worst]:.2f}×"
    )


def main() -> None:
    print(machine_line())
    reuse = os.environ.get("BENCH_ADMIN_REUSE") == "1"
    url = database_url(DATABASE) if reuse else recreate_database(DATABASE)
    try:
        if not reuse:
            started = time.perf_counter()
            manage(url, "migrate", "--noinput", "-v", "0")
            print(
                f"throwaway database {scoped(DATABASE)} migrated in {time.perf_counter() - started:.1f} s", flush=True
            )
            started = time.perf_counter()
            manage(url, "mouvement", "generate", "--seed", SEED, "--inter", INTER, "--intra", INTRA, "--voeux", "20")
            print(f"synthetic inter and intra written in {time.perf_counter() - started:.1f} s", flush=True)
            in_fresh_process(url, "--populate")
        else:
            manage(url, "migrate", "--noinput", "-v", "0")
        in_fresh_process(url, "--measure", production=True)
    finally:
        if os.environ.get("BENCH_ADMIN_KEEP") == "1" or reuse:
            print(f"database {scoped(DATABASE)} kept (BENCH_ADMIN_KEEP / BENCH_ADMIN_REUSE)")
        else:
            drop_database(DATABASE)


if __name__ == "__main__":
    if sys.argv[1:] == ["--populate"]:
        populate()
    elif sys.argv[1:] == ["--measure"]:
        measure()
    else:
        main()
