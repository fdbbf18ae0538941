"""Every error status is a French page of the portal with the way back, DEBUG on or off."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from iprof.urls import urlpatterns as portal_urlpatterns


def _raises(exception: Exception) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        raise exception

    return view


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("panne volontaire du test")


urlpatterns = [
    path("test-erreurs/403/", _raises(PermissionDenied())),
    path("test-erreurs/400/", _raises(SuspiciousOperation("forgé"))),
    path("test-erreurs/500/", _boom),
    *portal_urlpatterns,
]

BACK = "Revenir à l’accueil"


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request: pytest.FixtureRequest, settings: Any) -> bool:
    settings.DEBUG = request.param
    settings.ROOT_URLCONF = __name__
    return bool(request.param)


def _page(response: Any) -> str:
    body = response.content.decode()
    assert 'lang="fr"' in body
    assert "DEBUG = True" not in body and "Traceback" not in body and "Page not found" not in body
    return body


def test_another_teachers_object_is_the_portal_404(debug: bool, client_a: Client) -> None:
    response = client_a.get("/dossier/cv/999999/modifier/")
    assert response.status_code == 404
    body = _page(response)
    assert "Page introuvable" in body and BACK in body and "Plan du site" in body


def test_an_unknown_address_is_the_portal_404(debug: bool, client_a: Client) -> None:
    response = client_a.get("/nexiste-pas/du-tout/")
    assert response.status_code == 404
    assert "Page introuvable" in _page(response)


def test_a_get_on_a_post_only_action_is_a_french_405_page_with_its_allow_header(debug: bool, client_a: Client) -> None:
    response = client_a.get("/compte/deconnexion/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = _page(response)
    assert "Action impossible depuis cette adresse" in body and BACK in body


def test_a_refused_permission_is_the_portal_403(debug: bool, client_a: Client) -> None:
    response = client_a.get("/test-erreurs/403/")
    assert response.status_code == 403
    assert "Accès refusé" in _page(response)


def test_a_malformed_request_is_the_portal_400(debug: bool, client_a: Client) -> None:
    response = client_a.get("/test-erreurs/400/")
    assert response.status_code == 400
    assert "Requête incorrecte" in _page(response)


def test_an_internal_error_is_the_portal_500_and_is_logged(debug: bool, client_a: Client, caplog: Any) -> None:
    client_a.raise_request_exception = False
    response = client_a.get("/test-erreurs/500/")
    assert response.status_code == 500
    body = _page(response)
    assert "Une erreur est survenue" in body and BACK in body
    assert "panne volontaire du test" in caplog.text  # the developer still gets the traceback


def test_the_503_page_is_french_with_the_way_back_and_the_support(settings: Any) -> None:
    from iprof.middleware import standalone_error_page

    response = standalone_error_page(503)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    body = response.content.decode()
    assert "Service momentanément indisponible" in body and BACK in body and settings.IPROF_SUPPORT_EMAIL in body


def test_a_get_on_the_logout_address_offers_the_logout_button(client_a: Client) -> None:
    body = client_a.get("/compte/deconnexion/").content.decode()
    form = body[body.index('data-testid="logout-form"') - 120 :]
    assert 'method="post" action="/compte/deconnexion/"' in form and "csrfmiddlewaretoken" in form
    assert "Se déconnecter" in form
