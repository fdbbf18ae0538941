"""Guides are written in Markdown by staff and shown as sanitised HTML: no script ever reaches a page."""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "abbr",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope", "align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    # The guide's title is the page's h1: Markdown titles start one level below.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    clean = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # Fixed markup added after sanitising: DSFR tables.
    clean = clean.replace("<table>", '<div class="fr-table"><table>').replace("</table>", "</table></div>")
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 just above
