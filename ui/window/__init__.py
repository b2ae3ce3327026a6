"""The parts of the main window (``ui.main_window.MainWindow`` composes them):

- ``pages``: the sidebar and the pages it switches between (Agenda, Cases, Search), each built when first needed;
- ``menus``: the menu bar of the first frame, and the commands on the open case and its tabs;
- ``documents``: the case's documents (one entry per ``caseapp.services.documents.DOCUMENTS``) and their previews;
- ``bundles``: exporting and importing case bundles, their keys, and bundles dropped on the window;
- ``safekeeping``: backups, restores, and what an opening of the case file could not do.
"""
