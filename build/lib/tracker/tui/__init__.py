"""The terminal UI (Textual). Everything here calls :mod:`tracker.services`;
nothing below this package imports Textual."""
