"""Writes of the dossier app, each under one transaction (see the modules)."""
