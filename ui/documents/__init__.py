"""Documents of a case on screen and on paper: the print preview, printing, saving as PDF, the Télérecours set.

The modules here are imported on first use (the window paints without them); ``ui.operations.documents`` makes
the PDFs off the GUI thread.
"""
