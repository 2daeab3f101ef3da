"""Text normalisation shared by the directory's searches (communes, places)."""

import re
import unicodedata

# A word of a search matches a text when its trigram word similarity to the text's closest word reaches this
# (pg_trgm's `%>` on PostgreSQL, set on every connection by the service's settings; SQL functions on SQLite).
WORD_SIMILARITY_THRESHOLD = 0.5
# Ligatures that Unicode decomposition leaves whole: "Cœur" must match "coeur". (Replaced one by one: a
# str.translate table mapping a character to two goes character by character in Python, the slow way.)
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}
# The accents of Latin letters once decomposed: the combining marks of U+0300–U+036F, removed by one regex;
# the rare text still holding other marks is filtered character by character.
_LATIN_MARKS = re.compile(
    "[{}]".format("".join(chr(code) for code in range(0x300, 0x370) if unicodedata.combining(chr(code))))
)
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# Articles and prepositions of French names and addresses (normalised): they tell nothing apart — "de" is in
# most commune names — so comparisons and searches leave them out.
STOP_WORDS = frozenset({"de", "la", "le", "les", "du", "des", "l", "d", "et", "a", "au", "aux", "en"})


def normalise_text(text: str) -> str:
    """Lowercase, without accents; hyphens, apostrophes and other punctuation become single spaces.

    "Saint-Jean-d'Arvey" → "saint jean d arvey", "  CHAMBÉRY " → "chambery".
    """
    text = text.lower()
    for ligature, letters in _LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, letters)
    without_accents = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if not without_accents.isascii():
        without_accents = "".join(char for char in without_accents if not unicodedata.combining(char))
    return _NOT_ALPHANUMERIC.sub(" ", without_accents).strip()
