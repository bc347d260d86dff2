"""Where things are, for every test."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURES = REPO / "tests" / "fixtures"
# The console script of the environment running the tests (pip install -e puts it beside python).
CASEGRAPH = Path(sys.executable).parent / "casegraph"
