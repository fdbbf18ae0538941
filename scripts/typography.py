#!/usr/bin/env python3
"""French typography codemod for user-facing text: vœu/vœux, « hors classe », spaces before : ; ? !, dates « 1er ».

    python scripts/typography.py [--check] [PATH ...]     (default: templates/ and the apps' Python)

It rewrites only what a person reads:
- templates (.html, .txt mails, PDF templates): the text outside ``{% %}``, ``{{ }}`` and ``{# #}``,
  outside HTML tags (except the readable attributes title, alt, aria-label, placeholder) and outside
  <script>/<style>; the quoted string of ``{% translate "…" %}``; the text of ``{% blocktranslate %}``;
  and ``|date:"j F Y"``-style filters become ``|date_fr`` (« 1er mars 2027 », iprof/templatetags/french.py)
  with ``{% load french %}`` added;
- Python: the string literals inside ``_()``, ``gettext()``, ``gettext_lazy()``, ``ngettext()``…, and the
  values of ``verbose_name``, ``verbose_name_plural``, ``help_text``, ``label`` (migrations too, so that
  the verbose names stay equal to the models' and no migration is needed).

Never a Python identifier, URL name, field name, CSS class, slug, fixture key or placeholder
(``%(voeu)s``, ``{voeu}``). Idempotent: a second run changes nothing. ``--check`` changes nothing and
exits 1 listing every remaining forbidden form (and « marié(e) »-style words to agree by hand).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tokenize
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = ("templates", "accounts", "dossier", "siam", "iprof", "lib")
SKIP_DIRS = {".venv", "node_modules", "__pycache__", "static", "tests", "bench"}

# The rule: a non-breaking space U+00A0 before « : ; ? ! » (the test also accepts the narrow U+202F).
# One character for all four, as Django's own French number format uses it for thousands.
NBSP = "\u00a0"

# voeu / voeux / Voeu / VOEUX as words, never a placeholder (%(voeu)s, {voeu}) nor part of an identifier
VOEU = re.compile(r"(?<![%\w{])(?<!%\()(v|V)(oeu|OEU)(x|X)?(?![\w}]|\)[sdr])")
HORS_CLASSE = re.compile(r"\b([Hh])ors-classe\b")
# a plain space (or none after a letter) before : ; ? ! in prose; not "http://", "12:00", "?page="
SPACE_BEFORE = re.compile(r"(?:(?<=[\w»)\]’'.\x00])|^) ([:;?!])(?=\s|$|[»<\"'’)]|&nbsp;)")
DATE_FILTER = re.compile(r'\|date:"j F( Y)?( à H:i| à G\\h|, H:i)?"')
TO_AGREE = re.compile(r"\b\w+é\(e\)s?")

READABLE_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "aria-description")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
TEXT_KWARGS = {"verbose_name", "verbose_name_plural", "help_text", "label"}


def fix_prose(text: str) -> str:
    """The rules on a piece of text a person reads."""

    def voeu(m: re.Match[str]) -> str:
        upper = m.group(2).isupper()
        return m.group(1) + ("ŒU" if upper else "œu") + (m.group(3) or "")

    text = VOEU.sub(voeu, text)
    text = HORS_CLASSE.sub(lambda m: f"{m.group(1)}ors classe", text)
    return SPACE_BEFORE.sub(lambda m: NBSP + m.group(1), text)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    form: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.form}"


def problems_in_prose(text: str) -> Iterator[str]:
    for m in VOEU.finditer(text):
        yield f"« {m.group(0)} » → vœu"
    for m in HORS_CLASSE.finditer(text):
        yield f"« {m.group(0)} » → hors classe"
    for m in SPACE_BEFORE.finditer(text):
        yield f"espace ordinaire avant « {m.group(1)} »"


# --- templates ---------------------------------------------------------------------------------------

MARK = "\x00"
DJANGO_TAG = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.S)
HTML_PIECE = re.compile(r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)
TRANSLATE_TAG = re.compile(r'^({%\s*(?:translate|trans)\s+)(["\'])(.*?)\2', re.S)
ATTRIBUTE = re.compile(r"(\s(?:" + "|".join(READABLE_ATTRIBUTES) + r')=")([^"]*)(")')


def _on_html_text(chunk: str, fix: Callable[[str], str]) -> str:
    out = []
    for piece in HTML_PIECE.split(chunk):
        if not piece:
            continue
        if piece.startswith("<!--") or re.match(r"<(script|style)\b", piece, re.I):
            out.append(piece)
        elif piece.startswith("<"):
            out.append(ATTRIBUTE.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), piece))
        else:
            out.append(fix(piece))
    return "".join(out)


def _template_texts(source: str, fix: Callable[[str], str], *, html: bool) -> str:
    """Apply ``fix`` to every user-facing text of a template; tags are kept except translate's string.

    Django tags are first set aside as markers (an HTML tag may hold one: class="{% if %}…"), so the
    HTML is split whole; a marker counts as a word for the spacing rule (« {{ x }} : »).
    """
    kept: list[str] = []

    def set_aside(m: re.Match[str]) -> str:
        piece = m.group(0)
        translated = TRANSLATE_TAG.match(piece)
        if translated:
            quote = translated.group(2)
            piece = translated.group(1) + quote + fix(translated.group(3)) + quote + piece[translated.end() :]
        kept.append(piece)
        return f"{MARK}{len(kept) - 1}{MARK}"

    masked = DJANGO_TAG.sub(set_aside, source)
    fixed = _on_html_text(masked, fix) if html else fix(masked)
    return re.sub(f"{MARK}(\\d+){MARK}", lambda m: kept[int(m.group(1))], fixed)


def _date_filters(source: str) -> str:
    def replace(m: re.Match[str]) -> str:
        with_year, with_time = m.group(1), m.group(2)
        name = "datetime_fr" if with_time else "date_fr"
        return f"|{name}" if with_year else f'|{name}:"court"'

    changed = DATE_FILTER.sub(replace, source)
    if changed != source and not re.search(r"{%\s*load\b[^%]*\bfrench\b", changed):
        extends = re.match(r"\s*{%\s*extends\s[^%]*%}\n?", changed)
        at = extends.end() if extends else 0
        changed = changed[:at] + "{% load french %}" + ("\n" if extends else "") + changed[at:]
    return changed


def fix_template(source: str, *, html: bool = True) -> str:
    return _date_filters(_template_texts(source, fix_prose, html=html))


def check_template(source: str, path: str, *, html: bool = True) -> list[Finding]:
    found: list[Finding] = []

    def collect(text: str, start: int) -> None:
        line = source.count("\n", 0, start) + 1
        found.extend(Finding(path, line, p) for p in problems_in_prose(text))

    # re-run the extraction, recording instead of fixing (positions are approximate: the chunk's first line)
    offset = 0

    def record(text: str) -> str:
        nonlocal offset
        at = source.find(text, offset) if text else -1
        collect(text, at if at >= 0 else offset)
        if at >= 0:
            offset = at
        return text

    _template_texts(source, record, html=html)
    for m in DATE_FILTER.finditer(source):
        found.append(Finding(path, source.count("\n", 0, m.start()) + 1, f"{m.group(0)} → |date_fr (1er)"))
    for m in TO_AGREE.finditer(source):
        found.append(Finding(path, source.count("\n", 0, m.start()) + 1, f"« {m.group(0)} » : accorder (|accord)"))
    return found


# --- Python ------------------------------------------------------------------------------------------


def _user_strings(source: str) -> Iterator[tokenize.TokenInfo]:
    """The STRING tokens a person reads: inside a gettext call, the value of a text keyword, or a
    choice's label inside ``choices=[…]`` (the migrations' copy of the models' labels)."""
    stack: list[str | None] = []  # per open bracket: the gettext/keyword context it opened
    previous: list[tokenize.TokenInfo] = []
    continuing = False  # implicit concatenation: "a" "b" after a user string is the same string
    skipped = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skipped:
            continue
        last = previous[-1] if previous else None
        if token.type == tokenize.OP and token.string in "([{":
            context = None
            if last is not None and last.type == tokenize.NAME and last.string in GETTEXT and token.string == "(":
                context = "gettext"
            elif (stack and stack[-1] == "choices") or (
                last is not None and last.string == "=" and len(previous) >= 2 and previous[-2].string == "choices"
            ):
                context = "choices"
            stack.append(context)
        elif token.type == tokenize.OP and token.string in ")]}" and stack:
            stack.pop()
        if token.type == tokenize.STRING:
            keyword = (
                last is not None
                and last.string == "="
                and len(previous) >= 2
                and previous[-2].type == tokenize.NAME
                and previous[-2].string in TEXT_KWARGS
            )
            label = bool(stack) and stack[-1] == "choices" and last is not None and last.string == ","
            # a migration's options={"verbose_name": "…"}: the copy of a model's Meta
            keyword = keyword or (
                last is not None
                and last.string == ":"
                and len(previous) >= 2
                and previous[-2].type == tokenize.STRING
                and previous[-2].string.strip("'\"") in TEXT_KWARGS
            )
            if (bool(stack) and stack[-1] == "gettext") or keyword or label or continuing:
                continuing = True
                yield token
            else:
                continuing = False
        else:
            continuing = False
        previous = [*previous[-2:], token]


def _literal_body(literal: str) -> tuple[str, str, str]:
    m = re.match(r"(?is)^([rbuf]*)('''|\"\"\"|'|\")(.*)\2$", literal, re.S)
    if not m or "b" in m.group(1).lower():
        return "", "", ""
    return m.group(1) + m.group(2), m.group(3), m.group(2)


def _rewrite_python(source: str, fix: Callable[[str], str]) -> str:
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits = []
    for token in _user_strings(source):
        prefix, body, quote = _literal_body(token.string)
        if not quote:
            continue
        new_body = fix(body)
        if new_body != body:
            begin = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            edits.append((begin, end, prefix + new_body + quote))
    for begin, end, text in reversed(edits):
        source = source[:begin] + text + source[end:]
    return source


def _python_prose(text: str) -> str:
    # inside a Python literal the non-breaking spaces are written as escapes (ruff RUF001 stays quiet)
    fixed = fix_prose(text)
    return fixed.replace(NBSP, "\\u00a0")


def fix_python(source: str) -> str:
    return _rewrite_python(source, _python_prose)


def check_python(source: str, path: str) -> list[Finding]:
    found: list[Finding] = []
    for token in _user_strings(source):
        _, body, quote = _literal_body(token.string)
        if quote:
            found.extend(Finding(path, token.start[0], p) for p in problems_in_prose(body))
    return found


# --- files -------------------------------------------------------------------------------------------


def files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        path = (ROOT / raw) if not Path(raw).is_absolute() else Path(raw)
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for candidate in candidates:
            if candidate.suffix not in (".html", ".txt", ".py") or not candidate.is_file():
                continue
            parts = candidate.relative_to(ROOT).parts if candidate.is_relative_to(ROOT) else candidate.parts
            if SKIP_DIRS & set(parts[:-1]) and not path.is_file():
                continue
            if candidate.suffix == ".txt" and "templates" not in candidate.parts:
                continue
            yield candidate


def process(path: Path, *, check: bool) -> tuple[bool, list[Finding]]:
    source = path.read_text(encoding="utf-8")
    shown = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    if path.suffix == ".py":
        fixed, findings = fix_python(source), check_python(source, shown)
    else:
        html = path.suffix == ".html"
        fixed, findings = fix_template(source, html=html), check_template(source, shown, html=html)
    if check:
        return fixed != source, findings
    if fixed != source:
        path.write_text(fixed, encoding="utf-8")
    remaining = check_python(fixed, shown) if path.suffix == ".py" else check_template(fixed, shown)
    return fixed != source, remaining


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 listing the forbidden forms")
    parser.add_argument("paths", nargs="*", default=list(DEFAULT_PATHS))
    args = parser.parse_args(argv)
    changed, findings = 0, []
    for path in files(args.paths):
        did_change, found = process(path, check=args.check)
        changed += did_change
        findings += found
    for finding in findings:
        print(finding)
    verb = "à modifier" if args.check else "modifiés"
    print(f"{changed} fichier(s) {verb}, {len(findings)} forme(s) restante(s).", file=sys.stderr)
    forbidden = [f for f in findings if "accorder" not in f.form]  # agreement needs the civilité: by hand
    return 1 if args.check and (forbidden or changed) else 0


if __name__ == "__main__":
    sys.exit(main())
