"""The mouvement core imports no Django: only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from siam.mouvement.market import MarketData, MarketProblems, Participant, build_market

CORE = Path(__file__).resolve().parents[3] / "siam" / "mouvement"


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_each_core_module_imports_only_the_standard_library_and_the_core(path: Path) -> None:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    outside = {
        m for m in modules if not m.startswith("siam.mouvement") and m.split(".")[0] not in sys.stdlib_module_names
    }
    assert not outside, f"{path.name} imports {sorted(outside)}"


def test_the_core_builder_names_what_is_missing_without_django() -> None:
    data = MarketData(
        inter=True,
        postes=[],
        participants=[Participant(1, 1, None, True, None, None, None)],
        voeux={},
        groupements={},
        voeu_scores={},
        extension_scores={},
        tiebreak={},
        table={},
    )
    with pytest.raises(MarketProblems) as found:
        build_market(data)
    assert found.value == MarketProblems(missing_dossiers=1, missing_scores=0, missing_tiebreak=1, missing_extension=0)
