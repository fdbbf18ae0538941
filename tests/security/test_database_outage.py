from __future__ import annotations

from django.db import OperationalError
from django.test import Client
from django.urls import path

from iprof import urls as iprof_urls


def _broken(request):  # type: ignore[no-untyped-def]
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [path("panne/", _broken), *iprof_urls.urlpatterns]


def test_lost_database_gives_a_clean_503(client_a: Client, settings) -> None:
    settings.ROOT_URLCONF = __name__
    response = client_a.get("/panne/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Service momentanément indisponible" in response.content.decode()


def test_database_outage_outside_a_view_is_still_a_503(rf) -> None:
    import sys

    from iprof.views import server_error

    try:
        raise OperationalError("the session could not be loaded")
    except OperationalError:
        assert sys.exc_info()[1] is not None
        response = server_error(rf.get("/"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"


def test_other_errors_stay_500(rf) -> None:
    from iprof.views import server_error

    try:
        raise ValueError("bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
