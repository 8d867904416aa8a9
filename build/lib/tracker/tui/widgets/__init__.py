"""Reusable widgets: record lists, the detail pane, the picker field."""
