"""Small pieces of a login session's state kept in the browser, as Django keeps its messages: a signed cookie
instead of a write of the session's row. Each is signed with the session's key, so that no other session reads it
(another teacher after them on a shared computer, the same teacher after a new login), lives as long as the
browser's session, and is deleted at logout (delete_all). A value too long for a cookie is refused: the caller keeps
it in the session instead.

Issue 14: on the vœu save, the busiest request of the closing day, the session's UPDATE was a tenth of the
request's Python, for the one line that offers « Annuler »."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

MAX_LENGTH = 3000  # of the signed value: a browser drops a cookie over 4 KB, with the others of the site
_PATHS: dict[str, str] = {}  # every cookie of this kind, its path: what delete_all removes


def register(name: str, path: str) -> str:
    """A cookie of this kind, sent by the browser to ``path`` and below; its name."""
    _PATHS[name] = path
    return name


def names() -> dict[str, str]:
    """Every cookie of this kind, with its path (the cookies page lists them)."""
    return dict(_PATHS)


def _salt(request: HttpRequest, name: str) -> str | None:
    key = request.session.session_key
    return f"iprof.session_cookies:{name}:{key}" if key else None


def store(request: HttpRequest, response: HttpResponse, name: str, value: Any) -> bool:
    """Set the cookie ``name`` to ``value`` (JSON), signed with the session's key. False, nothing set: no session
    yet, or a value too long for a cookie."""
    salt = _salt(request, name)
    if salt is None:
        return False
    signed = signing.dumps(value, salt=salt, compress=True)
    if len(signed) > MAX_LENGTH:
        return False
    response.set_cookie(
        name,
        signed,
        path=_PATHS[name],
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return True


def read(request: HttpRequest, name: str) -> Any:
    """The value this session stored, or None (none, another session's, altered)."""
    signed, salt = request.COOKIES.get(name), _salt(request, name)
    if not signed or salt is None:
        return None
    try:
        return signing.loads(signed, salt=salt)
    except signing.BadSignature:
        return None


def forget(request: HttpRequest, response: HttpResponse, name: str) -> None:
    """The cookie deleted, if the browser sent it."""
    if name in request.COOKIES:
        response.delete_cookie(name, path=_PATHS[name], samesite="Lax")


def delete_all(response: HttpResponse) -> HttpResponse:
    """Every cookie of this kind deleted (a logout): whether the browser holds it or not, since a cookie is sent
    only below its path, not to the logout's."""
    for name, path in _PATHS.items():
        response.delete_cookie(name, path=path, samesite="Lax")
    return response
