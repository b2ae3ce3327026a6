"""Searching every case: titles, parties, filings, exhibits, notes (the index is kept by ``caseapp.casefile``)."""

from __future__ import annotations

from caseapp.casefile.search import search
from caseapp.casefile.views import SearchHit

__all__ = ["SearchHit", "search"]
