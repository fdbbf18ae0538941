"""Rectorat staff manage campagnes, postes (CSV import), demandes, motifs and pièces here."""

from siam.admin import (  # noqa: F401 - registers the admins
    bareme,
    campagnes,
    capacites,
    demandes,
    mouvement,
    pieces,
    postes,
    queues,
    spea,
)
