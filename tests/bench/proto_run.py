"""`yytrack` with the prototypes of docs/performance.md: `run_bench.py --yytrack proto`.

--version and --help read no progress, so they run yytrack untouched (no prototype imports to pay).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    if sys.argv[1:2] not in (["--version"], ["-V"], ["--help"], ["-h"]):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import proto_patch

        proto_patch.install()
    from yytrack.cli import main

    main()
