"""The mouvement engine: a pure core, importing no Django.

A campagne's market, read as plain rows by ``siam.services.mouvement.market``,
becomes the engine's instance (``market``); DA* assigns (``engine``), an
independent checker certifies (``checker``), the barres explain (``why_not``),
large voeux and the extension become ordered posts (``expansion``,
``extension``), and block exchanges are simulated for comparison
(``exchange``). ``synthetic`` draws seeded national inter and intra
mouvements; ``siam.demo.synthetic`` writes them to the database for demos
and benchmarks.
"""

from siam.mouvement.checker import Verdict, Violation, check, check_extension_run
from siam.mouvement.engine import Instance, Outcome, Result, Summary, assign, summarize, validate
from siam.mouvement.exchange import ExchangeOutcome, ExchangeReport, Move, exchange
from siam.mouvement.expansion import Expander, Point, Site, Voeu, expand, extension_posts, extension_zones
from siam.mouvement.extension import Extension, ExtensionRun, run_with_extension
from siam.mouvement.why_not import Barre, Reason, WhyNot, barres, why_not

__all__ = [
    "Barre",
    "ExchangeOutcome",
    "ExchangeReport",
    "Expander",
    "Extension",
    "ExtensionRun",
    "Instance",
    "Move",
    "Outcome",
    "Point",
    "Reason",
    "Result",
    "Site",
    "Summary",
    "Verdict",
    "Violation",
    "Voeu",
    "WhyNot",
    "assign",
    "barres",
    "check",
    "check_extension_run",
    "exchange",
    "expand",
    "extension_posts",
    "extension_zones",
    "run_with_extension",
    "summarize",
    "validate",
    "why_not",
]
