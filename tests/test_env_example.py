"""`.env.example` names every setting the portal reads from its environment (an operator's only list)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ = re.compile(r"""\benv(?:_bool|_int)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
LISTED = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def test_every_setting_read_by_the_settings_is_in_env_example() -> None:
    read = set(READ.findall((ROOT / "iprof" / "settings.py").read_text(encoding="utf-8")))
    listed = set(LISTED.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    assert len(read) > 20  # the pattern still finds the settings
    assert sorted(read - listed) == []


def test_env_example_lists_no_setting_the_portal_does_not_read() -> None:
    read = set(READ.findall((ROOT / "iprof" / "settings.py").read_text(encoding="utf-8")))
    listed = set(LISTED.findall((ROOT / ".env.example").read_text(encoding="utf-8")))
    assert sorted(listed - read) == []
