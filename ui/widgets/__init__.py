"""Reusable widgets: date fields that show what they understood, enum pickers, record tables."""
