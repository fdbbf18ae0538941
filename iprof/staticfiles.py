"""The static files storage: hashed names, gzip and brotli copies (whitenoise), also under DEBUG=1.

Django's manifest storage links the plain names when DEBUG is on, which `make run` sets: the
pages would then fetch `dsfr.main.min.css` with a short cache lifetime instead of the hashed,
immutable copy. Forcing the hashed URL keeps `make run` what production is.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name: str | None, force: bool = True) -> str:
        return super().url(name, force=True)
