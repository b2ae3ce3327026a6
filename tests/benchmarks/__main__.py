"""uv run python -m tests.benchmarks [--quick] [--only NAME,...] [--keep DIR]"""

from tests.benchmarks.runner import main

raise SystemExit(main())
