"""The case view: a header with what matters now, and one tab per kind of record."""

TABS = (
    "overview",
    "parties",
    "filings",
    "hearings",
    "deadlines",
    "evidence",
    "opinions",
    "access",
    "chronology",
    "history",
)
