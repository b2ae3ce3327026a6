"""Case bundles in the interface: the export dialog, the import preview, passphrases and the keys dialog.

Imported on first use (the window paints without them); the work itself is in ``ui.operations.bundles``.
"""
