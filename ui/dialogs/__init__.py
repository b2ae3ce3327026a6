"""Dialogs that create and edit records, the settings dialog and the About box."""
