"""The rectorat's back office for the dossier app: reference data, dossiers (with their history), CVs,
signalements, CSV imports."""

from dossier.admin import cv, dossiers, referentiel

__all__ = ["cv", "dossiers", "referentiel"]
