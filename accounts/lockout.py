"""Login failures that cannot lock a teacher out (issue 17, point 4).

allauth's ``login_failed`` rate limit refuses per address and per *key*; the key here is
(identifier, generation, address), so five wrong passwords from one address refuse that address only,
never the owner elsewhere. Per identifier there is a much higher ceiling that slows rather than refuses:
past it, each further *failed* attempt is answered after a delay growing with the failures (bounded), and
a right password is never delayed. A successful password reset starts a new generation: every counter of
the account is lifted at once, whichever addresses filled them.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

GENERATION_TTL = 7 * 24 * 3600


def _digest(identifier: str) -> str:
    return hashlib.sha256(identifier.strip().lower().encode()).hexdigest()


def generation(identifier: str) -> int:
    return int(cache.get(f"iprof:login:gen:{_digest(identifier)}", 0))


def rate_limit_key(identifier: str, address: str | None) -> str:
    """allauth's per-key bucket: one per (identifier, address), renewed by a reset."""
    return f"{identifier.strip().lower()}|{generation(identifier)}|{address or '-'}"


def _failures_key(identifier: str) -> str:
    return f"iprof:login:failures:{_digest(identifier)}:{generation(identifier)}"


def count_failure(identifier: str) -> int:
    """One more failure on ``identifier`` within LOGIN_SLOWDOWN_WINDOW; returns the count."""
    key = _failures_key(identifier)
    if cache.add(key, 1, timeout=settings.LOGIN_SLOWDOWN_WINDOW):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.LOGIN_SLOWDOWN_WINDOW)
        return 1


def failures(identifier: str) -> int:
    return int(cache.get(_failures_key(identifier), 0))


def delay_for(failures: int, *, ceiling: int, step: float, maximum: float) -> float:
    """Seconds to wait before answering a failure: 0 up to the ceiling, then step per failure, at most maximum."""
    return round(min(maximum, max(0, failures - ceiling) * step), 3)


def slowdown(failures: int) -> float:
    return delay_for(
        failures,
        ceiling=settings.LOGIN_SLOWDOWN_CEILING,
        step=settings.LOGIN_SLOWDOWN_STEP,
        maximum=settings.LOGIN_SLOWDOWN_MAX_DELAY,
    )


def pause(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def lift(identifier: str) -> None:
    """After a successful reset: a new generation, so no counter of the account applies any more."""
    key = f"iprof:login:gen:{_digest(identifier)}"
    cache.set(key, generation(identifier) + 1, timeout=GENERATION_TTL)
