import sys
from pathlib import Path

# Test helpers (physl_golden, table_support, hypothesis_profiles) live beside the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import hypothesis_profiles  # noqa: E402, F401 - registers and loads the hypothesis profile
