"""Screens and forms."""
