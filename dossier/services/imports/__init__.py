"""CSV imports of the admin: établissements, and agents with their dossier basics.

Two steps, both through `Importer.preview` then `Importer.apply`: every line is
validated before anything is written, and the writes run in one transaction, so
one wrong line means nothing is written.
"""

from dossier.services.imports.agents import AgentImporter
from dossier.services.imports.base import Importer, ImportRefused, LineError, Preview, decode_upload
from dossier.services.imports.etablissements import EtablissementImporter

IMPORTERS: dict[str, type[Importer]] = {
    "etablissements": EtablissementImporter,
    "agents": AgentImporter,
}

__all__ = [
    "IMPORTERS",
    "AgentImporter",
    "EtablissementImporter",
    "ImportRefused",
    "Importer",
    "LineError",
    "Preview",
    "decode_upload",
]
