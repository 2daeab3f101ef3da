"""Shared kernel of the FNE Savoie services: settings, database, errors, logging, identity, health.

Only what every service needs lives here; business logic stays in its service.
"""
