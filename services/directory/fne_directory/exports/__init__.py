"""Exports of the directory in open formats, streamed: national standard CSV and JSON, GeoJSON and
data·inclusion v1."""
