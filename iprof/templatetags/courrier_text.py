"""The body of a courrier as the teacher reads it: the sender's text, never markup, with the portal's own links.

``{{ message.corps|courrier_body }}`` escapes everything first (as ``linebreaks`` does), then turns into a
link only a path of this portal that the URLconf resolves ("/siam/inter-2027/resultat/"); an outside
address, a protocol-relative "//host/", a "javascript:" or a path the portal does not have stays text.
"""

from __future__ import annotations

import re

from django import template
from django.urls import Resolver404, resolve
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# a path after a space, a bracket or a start of line; its characters cannot close an attribute or a tag
OWN_PATH = re.compile(r"(?<![\w/&;.:<=\"'-])(/(?!/)[A-Za-z0-9_\-./]*[A-Za-z0-9_\-/])")
NEVER_LINKED = ("/admin/",)  # the back office is no teacher's page


def _is_own_page(path: str) -> bool:
    if path.startswith(NEVER_LINKED) or ".." in path:
        return False
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _link(match: re.Match[str]) -> str:
    path = match.group(1)
    return f'<a href="{path}">{path}</a>' if _is_own_page(path) else path


@register.filter(is_safe=True)
def courrier_body(text: str | None) -> SafeString:
    paragraphs = linebreaks(text or "", autoescape=True)  # escaped first: nothing typed becomes markup
    return mark_safe(OWN_PATH.sub(_link, paragraphs))  # noqa: S308 — the input is escaped, links are own paths
