"""Exports of the directory in open formats, streamed: national standard CSV and JSON, GeoJSON, data·inclusion."""
