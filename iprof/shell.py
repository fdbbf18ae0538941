"""The page shell's shared parts: fragments ({% shell … %} of iprof/templatetags/shell.py, and the
{% cache None … using="shell" %} of some pages) and the menu's links.

Both are the same for everybody with the same rights, rendered once per worker process and keyed by
what varies (signed in, staff); nothing per teacher is kept (the banner, the unread count, the CSRF
token and the CSP nonce are rendered on every request). A deploy restarts the workers. A setting they
quote (IPROF_ACADEMIE, the support address, the URLconf…) only changes in tests (override_settings),
and then both are emptied, so that no page shows the previous value.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches

from iprof.menu import forget_menu_links

SHELL_CACHE = "shell"
# {% shell %}'s fragments: (name, language, *vary) → the rendered HTML; bounded (a key varies on small values such
# as the menu's section and the unread count), emptied whole when full
FRAGMENTS: dict[tuple[str | None, ...], Any] = {}
MAX_FRAGMENTS = 2000


def clear_shell_fragments(**kwargs: Any) -> None:
    caches[SHELL_CACHE].clear()
    FRAGMENTS.clear()
    forget_menu_links()
