"""Indicators from the surveys service's disclosure-safe aggregates: autonomy and competence scores by
territory, dimension and phase, and pre/post progress, carrying the surveys service's suppression."""
