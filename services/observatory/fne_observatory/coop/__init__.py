"""La Coop de la médiation numérique: its API v1, read with the platform's client credentials."""
