"""Indicators computed from the directory (over its public export): places per commune and per inhabitant, by
national programme, the directory's freshness, and access time to a conseiller numérique."""
