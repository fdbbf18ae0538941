"""The mouvement from the terminal.

manage.py mouvement run <campagne> [--exchange] [--sans-extension]
manage.py mouvement compare <run-a> <run-b>
manage.py mouvement verify <run>
manage.py mouvement generate --seed N [--inter 30000] [--intra 20000] [--voeux 20]
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from siam.errors import SiamError
from siam.models import Campagne
from siam.models.mouvement import MouvementRun
from siam.services.mouvement import audit_run, compare_runs, run_mouvement

STAGES = ("chargement", "expansion", "calcul", "vérification", "explications", "échanges", "enregistrement")


class ProgressBar:
    """One line per stage, redrawn in place on a terminal, printed once per stage elsewhere."""

    def __init__(self, out: Any, width: int = 30) -> None:
        self.out, self.width = out, width
        self.tty = out.isatty()
        self.stage: str | None = None
        self.started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.stage, self.started = stage, time.perf_counter()
        ratio = done / total if total else 1.0
        if self.tty:
            filled = int(self.width * ratio)
            bar = "█" * filled + "·" * (self.width - filled)
            self.out.write(f"\r{stage:<15} [{bar}] {done:>7}/{total:<7}")
            if ratio >= 1:
                self.out.write(f" {time.perf_counter() - self.started:6.2f} s\n")
            self.out.flush()
        elif ratio >= 1:
            self.out.write(f"{stage:<15} terminé\n")


class Command(BaseCommand):
    help = "Calcule, compare, vérifie un mouvement ; génère un mouvement synthétique réaliste."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="calculer le mouvement d'une campagne")
        run.add_argument("campagne", help="identifiant de la campagne (ex. inter-2027)")
        run.add_argument("--exchange", action="store_true", help="simuler aussi l'étape d'échanges (comparaison)")
        run.add_argument("--sans-extension", action="store_true", help="sans procédure d'extension")
        compare = sub.add_parser("compare", help="comparer deux runs")
        compare.add_argument("run_a", type=int)
        compare.add_argument("run_b", type=int)
        verify = sub.add_parser("verify", help="recalculer un run depuis ses données d'entrée et le certifier")
        verify.add_argument("run", type=int)
        generate = sub.add_parser("generate", help="générer un mouvement synthétique dans la base")
        generate.add_argument("--seed", type=int, required=True)
        generate.add_argument("--inter", type=int, default=30_000, help="participants de l'inter (0 : aucun)")
        generate.add_argument("--intra", type=int, default=20_000, help="participants de l'intra (0 : aucun)")
        generate.add_argument("--voeux", type=int, default=20, help="voeux par participant à l'intra")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"handle_{options['action']}")(**options)
        except SiamError as exc:
            raise CommandError(exc.message) from exc

    def handle_run(self, *, campagne: str, exchange: bool, sans_extension: bool, **options: Any) -> None:
        found = Campagne.objects.filter(slug=campagne).first()
        if found is None:
            known = ", ".join(Campagne.objects.values_list("slug", flat=True)) or "aucune"
            raise CommandError(f"Campagne inconnue : {campagne} (campagnes : {known}).")
        started = time.perf_counter()
        run = run_mouvement(
            campagne=found, by=None, exchange=exchange, extension=not sans_extension, progress=ProgressBar(self.stdout)
        )
        run.refresh_from_db()
        self.stdout.write(f"{run} — {time.perf_counter() - started:.1f} s")
        self._print_stats(run)
        if run.verdict_ok:
            self.stdout.write(self.style.SUCCESS("Vérificateur : résultat certifié."))
        else:
            self.stdout.write(self.style.ERROR(f"Vérificateur : {run.violations_total} violation(s)."))
            for v in run.violations[:10]:
                self.stdout.write(f"  {v['kind']} — {v['message']}")
        if run.exchange_report:
            r = run.exchange_report
            self.stdout.write(
                f"Échanges (simulation) : {r['movers_before']} → {r['movers_after']} titulaires mutés (DA* → échanges), "
                f"{r['improved']} mieux affectés en {r['cycles']} échanges (cycles), "
                f"{r.get('rang_moyen_gagne', 0):.2f} rang(s) de voeu gagné(s) en moyenne ; "
                f"vérifiés : {'oui' if r['sound'] else 'NON'}."
            )

    def _print_stats(self, run: MouvementRun) -> None:
        s = run.stats
        ranks = ", ".join(
            f"{k}: {v}" for k, v in sorted(s.get("satisfaits_par_rang", {}).items(), key=lambda kv: int(kv[0]))
        )
        self.stdout.write(
            f"participants {s.get('participants')} — satisfaits {s.get('satisfaits')} — maintenus {s.get('maintenus')} "
            f"— extensions {s.get('extensions')} — sans poste {s.get('sans_poste')} — titulaires mutés {s.get('mutations')}"
        )
        self.stdout.write(f"par rang du voeu obtenu : {ranks or '—'}")
        self.stdout.write("durées : " + ", ".join(f"{k} {v:.2f} s" for k, v in run.durations.items()))

    def _run(self, pk: int) -> MouvementRun:
        run = MouvementRun.objects.filter(pk=pk).select_related("campagne").first()
        if run is None:
            raise CommandError(f"Run inconnu : {pk}.")
        return run

    def handle_compare(self, *, run_a: int, run_b: int, **options: Any) -> None:
        a, b = self._run(run_a), self._run(run_b)
        if a.campagne_id != b.campagne_id:
            raise CommandError("Les deux runs ne portent pas sur la même campagne.")
        comparison = compare_runs(a=a, b=b, sample=20)
        width = max(len(label) for label, *_ in comparison.stats)
        self.stdout.write(f"{'':<{width}}  {'run ' + str(a.pk):>10}  {'run ' + str(b.pk):>10}")
        for label, va, vb in comparison.stats:
            self.stdout.write(f"{label:<{width}}  {va!s:>10}  {vb!s:>10}")
        self.stdout.write(
            f"{comparison.changed} participant(s) obtiennent un autre résultat"
            f" ({comparison.only_a} seulement dans {a.pk}, {comparison.only_b} seulement dans {b.pk})."
        )
        for change in comparison.sample:
            self.stdout.write(f"  demande {change.demande_id} : {change.before} → {change.after}")

    def handle_verify(self, *, run: int, **options: Any) -> None:
        found = self._run(run)
        audit = audit_run(run=found)
        self.stdout.write(f"{found} : {audit.participants} participants recalculés depuis l'instantané.")
        self.stdout.write(f"empreinte des données : {'conforme' if audit.sha256_ok else 'NON CONFORME'}")
        self.stdout.write(
            f"vérificateur : {'certifié' if audit.verdict.ok else str(audit.verdict.total) + ' violation(s)'}"
        )
        self.stdout.write(f"résultats enregistrés non reproduits : {audit.differences}")
        if not (audit.sha256_ok and audit.verdict.ok and audit.differences == 0):
            raise CommandError("Le run n'est pas reproduit à l'identique.")
        self.stdout.write(self.style.SUCCESS("Run reproduit à l'identique et certifié."))

    def handle_generate(self, *, seed: int, inter: int, intra: int, voeux: int, **options: Any) -> None:
        from siam.demo.synthetic import generate

        def say(message: str) -> None:
            self.stdout.write(message)
            sys.stdout.flush()

        for campagne, seconds in generate(seed=seed, inter=inter, intra=intra, n_voeux=voeux, say=say):
            self.stdout.write(
                self.style.SUCCESS(
                    f"{campagne.slug} : {campagne.demandes.count()} demandes en {seconds:.1f} s "
                    f"— lancer : manage.py mouvement run {campagne.slug}"
                )
            )
