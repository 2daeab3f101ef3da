"""Synchronisation of the directory with DORA, data·inclusion, Mednum73 (YesWiki) and files: source records,
jobs, quarantine, matching and merge across sources, reconciliation report."""
