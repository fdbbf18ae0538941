"""The portal mounted under /portail/ (a test of links resolved once per process)."""

from django.urls import include, path

urlpatterns = [path("portail/", include("iprof.urls"))]
