"""The roadmap's values computed from live data: which of its indicators the platform's own data answer, from
which source, by which formula; their refresh on demand (a job of kind feuille-de-route), on a schedule and
from the command line."""
