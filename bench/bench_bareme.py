"""Recompute every barème of a synthetic inter campagne from PostgreSQL: 30,000 participants x 31 voeux.

Run: .venv/bin/python bench/bench_bareme.py [participants]   (or `make bench`)

Creates a throwaway database `bench_bareme` on the project's server, migrates it, bulk-inserts a
seeded campagne (agents, dossiers, children, demandes, 31 ACA voeux each, claims in every status),
then times `recompute_baremes` twice (first computation, then a recompute over stored barèmes) with
its number of queries, and the reads the mouvement makes. The reference, timed in the same run, is
a plain bulk SELECT of every voeu row: compare the ratios between machines, not the seconds.
Target: the recompute in 10 s or less on the development machine. The database is dropped at the end.
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import drop_database, recreate_database  # noqa: E402 - the path above makes it importable

DATABASE = "bench_bareme"
VOEUX = 31
SEED = 2027


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("IPROF_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iprof.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def copy_rows(table: str, columns: str, rows: list[str]) -> None:
    from django.db import connection

    buffer = io.StringIO()
    buffer.writelines(rows)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        copy.write(buffer.getvalue())


def build(participants: int) -> int:
    """The synthetic campagne; returns its id. Rates loosely follow the inter (see bench_bareme_core)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Agent
    from dossier.models import Academie, Commune, Corps, Departement, Discipline, Dossier, Etablissement, Grade
    from siam.bareme.geography import ACADEMIES, DEPARTEMENTS
    from siam.models import Campagne, Demande, Voeu

    rng = random.Random(SEED)
    academies = {
        code: Academie.objects.create(code=f"A{code}", nom=nom, code_ministere=code) for code, nom in ACADEMIES.items()
    }
    departements = [
        Departement.objects.create(code=code, nom=nom, academie=academies[aca])
        for code, (nom, aca) in DEPARTEMENTS.items()
    ]
    communes = [
        Commune.objects.create(code_insee=f"{i:05d}", nom=f"Commune {i}", departement=d, latitude=45, longitude=3)
        for i, d in enumerate(departements, start=1)
    ]
    etablissements = [
        Etablissement.objects.create(
            uai=f"{i:07d}A",
            nom=f"Collège {i}",
            type="CLG",
            commune=c,
            education_prioritaire=rng.choice(["", "", "", "REP", "REP+"]),
        )
        for i, c in enumerate(communes, start=1)
    ]
    discipline = Discipline.objects.create(code="L1300", libelle="Mathématiques")
    corps = {code: Corps.objects.create(code=code, libelle=code) for code in ("CERT", "AGREG", "PLP")}
    grades = {
        (c, classe): Grade.objects.create(corps=corps[c], classe=classe, libelle=f"{c} {classe}", echelon_max=11)
        for c in corps
        for classe in ("normale", "hors_classe", "exceptionnelle")
    }
    now = timezone.now()
    day = datetime.timedelta(days=1)
    campagne = Campagne.objects.create(
        slug="inter-bench", kind="inter", year=2027, libelle="Inter (banc d'essai)", max_voeux=VOEUX, types_voeux=["ACA", "DPT"],
        saisie_debut=now - 60 * day, saisie_fin=now - 30 * day, confirmation_debut=now - 29 * day,
        retour_pieces_fin=now - 20 * day, bareme_affichage_debut=now + 10 * day, bareme_affichage_fin=now + 30 * day,
        baremes_definitifs=now + 40 * day, annulation_fin=now + 45 * day, resultats=now + 60 * day,
    )  # fmt: skip
    password = make_password(None)
    agents = Agent.objects.bulk_create(
        [
            Agent(identifiant=f"bench{i}", nom=f"Nom{i}", prenom="Prénom", password=password)
            for i in range(participants)
        ],
        batch_size=5000,
    )
    aca_ids = [a.pk for a in academies.values()]
    dossiers = []
    for agent in agents:
        stagiaire = rng.random() < 0.4
        classe = rng.choices(["normale", "hors_classe", "exceptionnelle"], weights=(80, 17, 3))[0]
        c = rng.choice(["CERT", "CERT", "CERT", "AGREG", "PLP"])
        family = rng.random() < 0.45
        dossiers.append(Dossier(
            agent=agent, corps=corps[c], grade=grades[(c, classe)], echelon=rng.randint(1, 11 if classe == "normale" else 4),
            discipline=discipline, position="stagiaire" if stagiaire else "titulaire",
            academie_stage=rng.choice(list(academies.values())) if stagiaire else None,
            etablissement=None if stagiaire else rng.choice(etablissements),
            date_entree_poste=datetime.date(2027 - rng.randint(0, 15), 9, 1),
            situation_familiale="marie" if family else "celibataire",
            conjoint_commune=rng.choice(communes) if family else None,
        ))  # fmt: skip
    dossiers = Dossier.objects.bulk_create(dossiers, batch_size=5000)
    copy_rows("dossier_enfant", "dossier_id, prenom, date_naissance", [
        f"{d.pk}\tEnfant\t{2027 - rng.randint(0, 25)}-03-01\n" for d in dossiers for _ in range(rng.choice((0, 0, 1, 2, 3)))
    ])  # fmt: skip
    demandes = Demande.objects.bulk_create(
        [Demande(agent=a, campagne=campagne, participation=rng.choice(["obligatoire", "volontaire", "volontaire"]))
         for a in agents],
        batch_size=5000,
    )  # fmt: skip
    # 30 académies: the 31st voeu of each list is a département.
    voeux = []
    for d in demandes:
        for rang, aca in enumerate(rng.sample(aca_ids, VOEUX - 1), start=1):
            voeux.append(f"{d.pk}\t{rang}\tACA\tTOUT\t{aca}\t\\N\n")
        voeux.append(f"{d.pk}\t{VOEUX}\tDPT\tTOUT\t\\N\t{rng.choice(departements).pk}\n")
    copy_rows(Voeu._meta.db_table, "demande_id, rang, type, filtre, academie_id, departement_id", voeux)
    motifs = []
    statuses = ("validated",) * 8 + ("declared", "refused")
    for d in demandes:
        for motif, rate in (("rc", 0.3), ("rqth", 0.03), ("mutation_simultanee", 0.03), ("preferentiel", 0.05)):
            if rng.random() < rate:
                status = rng.choice(statuses)
                refus = "pièce manquante" if status == "refused" else ""
                academie = rng.choice(aca_ids) if motif == "preferentiel" else "\\N"
                annees = rng.randint(1, 5) if motif in ("rc", "preferentiel") else "\\N"
                motifs.append(f"{d.pk}\t{motif}\t{status}\t{refus}\t{academie}\t{annees}\t\t{now.isoformat()}\n")
    copy_rows(
        "siam_motifdeclare",
        "demande_id, motif, statut, motif_refus, academie_id, annees, precision, declare_le",
        motifs,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return int(campagne.pk)


def timed(run: object) -> tuple[float, float, object, int]:
    """(wall seconds, this process's CPU seconds, result, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        result = run()  # type: ignore[operator]
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return elapsed, cpu, result, len(queries.captured_queries)


def measure(campagne_id: int) -> None:
    from django.db import connection

    from siam.models import Campagne
    from siam.services.bareme import recompute_baremes, tiebreak_ranks, voeu_totals
    from siam.services.bareme.departage import draw_seed

    campagne = Campagne.objects.get(pk=campagne_id)

    def reference() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, demande_id, rang, type, filtre, academie_id FROM siam_voeu")
            return len(cursor.fetchall())

    ref_time, _cpu, n_voeux, _ = timed(reference)
    print(
        f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machines: read the ratios)"
    )
    print(f"reference: bulk SELECT of the {n_voeux} voeu rows: {ref_time:.2f} s")
    for label in ("first computation", "recompute over stored barèmes"):
        elapsed, cpu, result, queries = timed(lambda: recompute_baremes(campagne=campagne))
        print(f"recompute_baremes ({label}): {elapsed:.2f} s (Python CPU {cpu:.2f} s), {queries} queries, "
              f"{result.demandes} demandes, {result.voeux} voeux, {result.extensions} extension barèmes "  # type: ignore[attr-defined]
              f"({elapsed / ref_time:.1f}x the reference)")  # fmt: skip
    elapsed, _cpu, totals, queries = timed(lambda: voeu_totals(campagne))
    print(f"voeu_totals: {elapsed:.2f} s, {queries} query, {len(totals)} totals")  # type: ignore[arg-type]
    draw_seed(campagne=campagne, staff=None)
    elapsed, _cpu, ranks, queries = timed(lambda: tiebreak_ranks(campagne))
    print(f"tiebreak_ranks: {elapsed:.2f} s, {queries} queries, {len(ranks)} ranks")  # type: ignore[arg-type]


def main() -> int:
    participants = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    url = recreate_database(DATABASE)
    try:
        started = time.perf_counter()
        setup_django(url)
        campagne_id = build(participants)
        print(f"setup: {participants} participants x {VOEUX} voeux inserted in {time.perf_counter() - started:.0f} s")
        measure(campagne_id)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(DATABASE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
