"""E-mail for every component: a database outbox each component owns, delivered over SMTP in the background.

A request only adds a row to its own outbox (in its transaction: a rolled-back request sends nothing); a
background loop delivers due messages with retries. Why an outbox per component: docs/architecture.md.
"""
