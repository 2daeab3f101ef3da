"""The roadmap computed from live data: which of its indicators the platform's own data answer, from which
source, by which formula; the computations, on demand and on a schedule."""
