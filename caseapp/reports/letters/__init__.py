"""Letters made from a case: the CADA request, the referral to the CADA, a recours gracieux and a demande
préalable.

``compose`` fills a ``Letter`` (plain text, in French by default) from the case's read models — no ReportLab, no
database; ``write`` lays it out as a PDF (ReportLab), an OpenDocument text (odfpy) or a Word document
(python-docx), the last two for the lawyer to edit. ``caseapp.services.letters`` reads the case and records a letter
as sent, which enters the deadline the letter starts.
"""

KINDS = ("cada-request", "cada-referral", "recours-gracieux", "demande-prealable")
FORMATS = ("pdf", "odt", "docx")
