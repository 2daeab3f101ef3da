"""Text normalisation shared by the directory's searches (communes, places)."""

import re
import unicodedata

# Ligatures that Unicode decomposition leaves whole: "Cœur" must match "coeur".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def normalise_text(text: str) -> str:
    """Lowercase, without accents; hyphens, apostrophes and other punctuation become single spaces.

    "Saint-Jean-d'Arvey" → "saint jean d arvey", "  CHAMBÉRY " → "chambery".
    """
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub(" ", without_accents).strip()
