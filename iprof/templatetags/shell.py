"""``{% shell name [vary …] %}…{% endshell %}``: a part of the page shell that is the same for everybody with the
same values of ``vary``, rendered once per worker process (iprof.shell.FRAGMENTS).

What ``{% cache None name vary … using="shell" %}`` did for the shell, without its cost on every request: the md5
of the key, the cache's key validation, lock and unpickling (~40 Python calls a fragment, nine fragments a page).
The same rules: nothing per teacher goes in (the banner, the unread count, the CSRF token and the CSP nonce stay
outside), the key holds the active language and the ``vary`` values as the cache's key held their str(), a
changed setting empties the store (iprof.shell.clear_shell_fragments), and DEBUG renders every time so that an
edited template shows at once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.translation import get_language

from iprof.shell import FRAGMENTS, MAX_FRAGMENTS

register = template.Library()


class ShellNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, vary_on: list[FilterExpression]) -> None:
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context: Any) -> str:
        key = (self.name, get_language(), *(str(v.resolve(context)) for v in self.vary_on))
        html = FRAGMENTS.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if not settings.DEBUG:
                if len(FRAGMENTS) >= MAX_FRAGMENTS:
                    FRAGMENTS.clear()
                FRAGMENTS[key] = html
        return html


@register.tag("shell")
def do_shell(parser: Parser, token: Token) -> ShellNode:
    nodelist = parser.parse(("endshell",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shell %} needs a fragment name.")
    return ShellNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
