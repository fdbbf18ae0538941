from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from iprof.banner import banner_for
from iprof.courrier.unread import unread_count_for
from iprof.menu import menu_links


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "IPROF_ACADEMIE": settings.IPROF_ACADEMIE,
        "IPROF_SUPPORT_EMAIL": settings.IPROF_SUPPORT_EMAIL,
        "IPROF_SUPPORT_PHONE": settings.IPROF_SUPPORT_PHONE,
        "IPROF_ASSISTANCE_URL": settings.IPROF_ASSISTANCE_URL,
        "IPROF_EDITEUR": settings.IPROF_EDITEUR,
        "iprof_menu": menu_links() if authenticated else (),
        "iprof_banner": banner_for(request) if authenticated else None,
        "courrier_unread": unread_count_for(request) if authenticated else 0,
    }
