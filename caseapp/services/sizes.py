"""File sizes as people read them: one function for the window and the command line ("190,6 Mo", "190.6 MB";
never "195401 Ko")."""

from __future__ import annotations

from caseapp.i18n import N_, current_language, translate


def human_size(size: int, lang: str | None = None) -> str:
    """``size`` bytes with the unit that keeps the number short: octets/ko/Mo/Go in French, bytes/KB/MB/GB in
    English (a decimal comma in French)."""
    lang = lang or current_language()
    units = (N_("bytes"), N_("KB"), N_("MB"), N_("GB"))
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            text = f"{value:.0f}" if unit == units[0] else f"{value:.1f}"
            if lang.startswith("fr"):
                text = text.replace(".", ",")
            return f"{text} {translate(unit, lang)}"
        value /= 1024
    return str(size)  # pragma: no cover
