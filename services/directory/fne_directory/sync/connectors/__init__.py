"""One module per kind of source: how to fetch its records and how to read them into the national standard."""
