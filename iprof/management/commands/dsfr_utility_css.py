"""Writes static/css/dsfr-utility.css: the DSFR utility rules (icons, colours) the portal really uses.

DSFR's utility.min.css is 459 KB, nearly all of it icons no page shows. This command scans the
templates, the Python code and the project's scripts for `fr-icon-…` / utility class names, and
copies from django-dsfr's utility.main.min.css only the rules that name them, with the icon URLs
rewritten to the DSFR folder (collectstatic then hashes them). Run it after using a new icon;
`--check` (run by the tests) fails when the file is out of date.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path
from typing import Any

import dsfr
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

UTILITY_CSS = Path(dsfr.__file__).parent / "static" / "dsfr" / "dist" / "utility" / "utility.main.min.css"
OUTPUT = Path(settings.BASE_DIR) / "static" / "css" / "dsfr-utility.css"
SCANNED = ("templates", "accounts", "dossier", "siam", "iprof", "lib", "static/js")
CLASS = re.compile(r"\.(fr-[A-Za-z0-9_-]*[A-Za-z0-9])")
WORD = re.compile(r"fr-[A-Za-z0-9_-]*[A-Za-z0-9]")
HEADER = (
    "/* Généré par `manage.py dsfr_utility_css` depuis django-dsfr {version} (utility.main.min.css) :\n"
    "   seules les règles utilitaires (icônes, couleurs) que le portail emploie. Ne pas modifier à la main. */\n"
)


def rules(css: str) -> list[tuple[str, str]]:
    """The top-level (selector, body) pairs of a minified stylesheet; at-rules keep their whole block."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, depth, start, selector = [], 0, 0, ""
    for i, ch in enumerate(css):
        if ch == "{":
            if depth == 0:
                selector, start = css[start:i].strip(), i + 1
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                out.append((selector, css[start:i]))
                start = i + 1
    return out


def used_words() -> set[str]:
    words: set[str] = set()
    root = Path(settings.BASE_DIR)
    for folder in SCANNED:
        for path in (root / folder).rglob("*"):
            if path.suffix in {".html", ".py", ".js", ".txt"} and path.name != "dsfr_utility_css.py":
                words |= set(WORD.findall(path.read_text(errors="replace")))
    return words


def keep(selector: str, body: str, used: set[str]) -> str:
    if selector.startswith("@"):
        inner = "".join(keep(s, b, used) for s, b in rules(body))
        return f"{selector}{{{inner}}}" if inner else ""
    chosen = [s for s in selector.split(",") if (names := set(CLASS.findall(s))) and names <= used]
    if not chosen:
        return ""
    body = body.replace("url(../icons/", "url(../dsfr/dist/icons/")  # from dist/utility/ to static/css/
    return ",".join(chosen) + "{" + body + "}\n"


def generate() -> str:
    used = used_words()
    kept = "".join(keep(s, b, used) for s, b in rules(UTILITY_CSS.read_text()))
    return HEADER.format(version=version("django-dsfr")) + kept


class Command(BaseCommand):
    help = "Écrit static/css/dsfr-utility.css : les seules classes utilitaires DSFR employées par le portail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Échoue si le fichier n'est pas à jour.")

    def handle(self, *args: Any, **options: Any) -> None:
        css = generate()
        if options["check"]:
            if not OUTPUT.exists() or OUTPUT.read_text() != css:
                raise CommandError(f"{OUTPUT.name} n'est pas à jour : lancez `manage.py dsfr_utility_css`.")
            return
        OUTPUT.write_text(css)
        self.stdout.write(f"{OUTPUT.relative_to(settings.BASE_DIR)} : {len(css.encode()):,} octets")
