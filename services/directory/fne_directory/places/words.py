"""The directory's vocabulary: every distinct word of the places' search texts.

A typo-tolerant search compares a word of the query with words, not with whole texts: the query word's
similar words are found among the vocabulary's short entries (a trigram index on PostgreSQL), then the places
holding one of them through an exact index on each place's words. Comparing with whole texts instead means
rechecking every place whose text shares trigrams with the query word — thousands for a short word.

Words are never removed: a word no place holds any more only costs an entry, and matches nothing.
"""

from collections.abc import Iterable

from sqlalchemy import Float, cast, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from fne_directory.places.models import Place, SearchWord
from fne_directory.text import WORD_SIMILARITY_THRESHOLD


def of_text(search_text: str) -> list[str]:
    """The distinct words of a normalised search text, sorted (a stable value)."""
    return sorted(set(search_text.split()))


async def remember(session: AsyncSession, places: Iterable[Place]) -> None:
    """Adds the places' words that the vocabulary does not hold yet."""
    words = sorted({word for place in places for word in place.search_words})
    if not words:
        return
    dialect = session.bind.dialect.name
    statement = (postgresql.insert(SearchWord) if dialect == "postgresql" else sqlite.insert(SearchWord))
    await session.execute(statement.on_conflict_do_nothing(), [{"word": word} for word in words])


def similar(dialect: str, word: str) -> ColumnElement[bool]:
    """The vocabulary's words similar to `word` (word similarity at least WORD_SIMILARITY_THRESHOLD)."""
    if dialect == "postgresql":
        # `%>` is the indexable form of word_similarity >= pg_trgm.word_similarity_threshold (set per connection).
        return SearchWord.word.op("%>")(word)
    return func.fne_word_similarity(word, SearchWord.word) >= WORD_SIMILARITY_THRESHOLD


def relevance(dialect: str, word: str) -> ColumnElement[float]:
    """How well a matching place matches `word`: the similarity of its closest word. On PostgreSQL, read from
    the similar words' scores (computed once per query) rather than computed again on each place's text."""
    if dialect == "postgresql":
        scores = (select(func.jsonb_object_agg(SearchWord.word, func.word_similarity(word, SearchWord.word)))
                  .where(similar(dialect, word)).scalar_subquery())
        held = func.unnest(Place.search_words).table_valued("value").render_derived()
        return (select(func.max(cast(scores.op("->>")(held.c.value), Float))).select_from(held)
                .scalar_subquery())
    return func.fne_word_similarity(word, Place.search_text)


def match(dialect: str, word: str) -> ColumnElement[bool]:
    """Places holding a word similar to `word`."""
    if dialect == "postgresql":
        similar_words = select(func.array_agg(SearchWord.word)).where(similar(dialect, word)).scalar_subquery()
        return Place.search_words.op("&&")(similar_words)
    held = func.json_each(Place.search_words).table_valued("value")
    return exists().select_from(held).where(held.c.value.in_(select(SearchWord.word).where(similar(dialect, word))))
