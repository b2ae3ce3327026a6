"""``python -m caseapp``: the ``caseapp`` command (``caseapp.cli:main``), the same as the console script."""

from __future__ import annotations

if __name__ == "__main__":  # imported by a walk over the package's modules, it runs nothing
    from caseapp.cli import main

    raise SystemExit(main())
