"""What the frozen application runs: the same as the ``caseapp`` console script (``caseapp.cli:main``).

PyInstaller needs a script to start from; this one stays this small so that the built application and
``uv run caseapp`` can never behave differently.
"""

import sys

from caseapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
