"""Static files as in production, also under `make run` (DEBUG=1): hashed names, brotli and gzip, immutable."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

ROOT = Path(django_settings.BASE_DIR)


def settings_under(**env: str) -> dict[str, Any]:
    """iprof.settings as a fresh process started with `env` reads them (settings are computed at import)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'storage': s.STORAGES['staticfiles']['BACKEND'], 'autorefresh': s.WHITENOISE_AUTOREFRESH,"
        "'finders': s.WHITENOISE_USE_FINDERS, 'max_age': s.WHITENOISE_MAX_AGE}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "IPROF_PLAIN_STATIC"}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "iprof.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_make_run_serves_the_collected_hashed_files_even_with_debug() -> None:
    # The environment `make run` gives gunicorn (Makefile: DEBUG=1 IPROF_PLAIN_STATIC=0).
    assert settings_under(IPROF_ENV="dev", DEBUG="1", IPROF_PLAIN_STATIC="0") == {
        "storage": "iprof.staticfiles.HashedStaticFilesStorage",
        "autorefresh": False,
        "finders": False,
        "max_age": 3600,
    }


def test_plain_static_is_served_from_the_sources_uncached() -> None:
    assert settings_under(IPROF_ENV="dev", DEBUG="1") == {
        "storage": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "autorefresh": True,
        "finders": True,
        "max_age": 0,
    }


@pytest.fixture
def collected(settings: Any, tmp_path: Path) -> Path:
    """collectstatic with the production storage, on the project's own CSS only (DSFR's 3,000 files take minutes)."""
    source = tmp_path / "src" / "css"
    source.mkdir(parents=True)
    shutil.copy(ROOT / "static" / "css" / "iprof.css", source / "iprof.css")
    settings.DEBUG = True  # as under make run: Django's manifest storage would then link the plain name
    settings.STATIC_ROOT = tmp_path / "root"
    settings.STATICFILES_DIRS = [tmp_path / "src"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "iprof.staticfiles.HashedStaticFilesStorage"}}
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_MAX_AGE = 3600
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path / "root"


def test_pages_link_the_hashed_name_even_with_debug(collected: Path) -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage

    url = staticfiles_storage.url("css/iprof.css")
    assert url != "/static/css/iprof.css"
    assert url.startswith("/static/css/iprof.") and url.endswith(".css")
    assert (collected / url.removeprefix("/static/")).exists()


@pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
def test_a_hashed_file_is_compressed_and_cached_forever(collected: Path, accept: str, encoding: str) -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage

    response = Client().get(staticfiles_storage.url("css/iprof.css"), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert len(body) < (ROOT / "static" / "css" / "iprof.css").stat().st_size


def test_an_unhashed_name_is_cached_briefly(collected: Path) -> None:
    response = Client().get("/static/css/iprof.css", HTTP_ACCEPT_ENCODING="br")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=3600, public"


def test_the_dsfr_utility_subset_is_up_to_date() -> None:
    # Fails when a template uses a DSFR icon that static/css/dsfr-utility.css lacks: run manage.py dsfr_utility_css.
    call_command("dsfr_utility_css", "--check")


def test_base_template_links_only_the_dsfr_css_a_page_uses() -> None:
    base = (ROOT / "templates" / "base.html").read_text()
    linked = re.findall(r"<link rel=\"stylesheet\" href=\"{% static '([^']+)' %}\"", base)
    assert linked == [
        "dsfr/dist/dsfr/dsfr.main.min.css",
        "dsfr/dist/dsfr.print.min.css",
        "css/dsfr-utility.css",
        "css/dsfr-django-overrides.css",
        "css/iprof.css",
    ]
    assert "{% dsfr_css %}" not in base  # would add utility.min.css (459 KB) and the legacy CSS
