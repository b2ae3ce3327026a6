"""``python -m caseapp.cli``: the ``caseapp`` command. The package ``caseapp.cli`` is imported as itself first, so
the commands and ``main`` share one copy of it (a module run as ``__main__`` would be a second one)."""

from __future__ import annotations

if __name__ == "__main__":  # imported by a walk over the package's modules, it runs nothing
    from caseapp.cli import main

    raise SystemExit(main())
