"""French wording of dates for messages built in Python (templates use the |date filter)."""

from __future__ import annotations

import datetime

from django.utils import formats, timezone


def moment(value: datetime.datetime, *, with_year: bool = True) -> str:
    """'2 avril 2027 à 12 h' (Europe/Paris); minutes shown only when there are some."""
    local = timezone.localtime(value)
    day = formats.date_format(local, "j F Y" if with_year else "j F")
    # non-breaking spaces: « 12 h » never split across two lines
    hour = f"{local.hour}\u00a0h" if local.minute == 0 else f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
    return f"{day} à {hour}"
