"""Imports and exports: files in, records out, in tracker's own formats and
in others' (CSV/TSV with a mapping, JSON Lines, ClaimReview).

- :mod:`.readers`: rows from a file, streamed, with their line numbers;
  rejected rows written back in the input's own format.
- :mod:`.columns`: the fields an import maps to, and the columns of
  tracker's own exports (which an import recognises).
- :mod:`.claimreview`: schema.org ClaimReview JSON-LD in and out.
- :mod:`.importer`: rows to records, through the attribution rule.
- :mod:`.exporter`: records to files.
"""
