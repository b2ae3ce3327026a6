"""PDF documents of a case, made with ReportLab from read models (never from a database session).

- ``summary.render_summary``: the case summary;
- ``bordereau.render_bordereau``: the exhibit list (bordereau de pièces);
- ``hearing_sheet.render_hearing_sheet``: the sheet taken into a hearing;
- ``telerecours.export_exhibit_set``: exhibits named for Télérecours, with their bordereau, in a folder or a zip.
- ``case_pdf.render_case_pdf``: the whole case as one PDF (contents, summary, bordereau, the exhibits' files, with
  bookmarks and page numbers), or the single file for Télérecours; it merges with pypdf.
- ``chronology.render_chronology``: the chronology of the case as a PDF annex (its read model: ``timeline``);
- ``letters``: the letters made from a case (CADA request and referral, recours gracieux, demande préalable), as
  PDF, OpenDocument or Word.

All share the page template of ``base`` and the style sheet of ``styles``. Importing this package does not
import ReportLab; the modules above do.
"""
