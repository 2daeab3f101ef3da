"""The directory's vocabulary: every distinct word of the places' search texts.

A typo-tolerant search compares a word of the query with words, not with whole texts: the query word's
similar words are found among the vocabulary's short entries (a trigram index on PostgreSQL), then the places
holding one of them through an exact index on each place's words. Comparing with whole texts instead means
rechecking every place whose text shares trigrams with the query word — thousands for a short word.

Words are never removed: a word no place holds any more only costs an entry, and matches nothing.
"""

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import Float, Text, bindparam, cast, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import CTE

from fne_directory.places.models import Place, SearchWord
from fne_directory.text import STOP_WORDS, WORD_SIMILARITY_THRESHOLD, normalise_text


def of_text(search_text: str) -> list[str]:
    """The distinct words of a normalised search text, sorted (a stable value)."""
    return sorted(set(search_text.split()))


def of_query(text: str) -> list[str]:
    """The words a search looks for: normalised, each once, without stop words — unless the query holds nothing
    else ("la", "les", "d" match most places, at the cost of reading most places)."""
    found = list(dict.fromkeys(normalise_text(text).split()))
    return [word for word in found if word not in STOP_WORDS] or found


async def remember(session: AsyncSession, places: Iterable[Place]) -> None:
    """Adds the places' words that the vocabulary does not hold yet."""
    words = sorted({word for place in places for word in place.search_words})
    if not words:
        return
    dialect = session.bind.dialect.name
    statement = (postgresql.insert(SearchWord) if dialect == "postgresql" else sqlite.insert(SearchWord))
    await session.execute(statement.on_conflict_do_nothing(), [{"word": word} for word in words])


def parameters(query_words: list[str]) -> dict[str, str]:
    """The values of the query words' parameters in `match` and `relevance`, to execute a statement with."""
    return {_parameter_name(position): word for position, word in enumerate(query_words)}


def _parameter_name(position: int) -> str:
    return f"query_word_{position}"


def _query_word(position: int) -> BindParameter[str]:
    return bindparam(_parameter_name(position), type_=Text)


def similar(dialect: str, word: ColumnElement[str]) -> ColumnElement[bool]:
    """The vocabulary's words similar to `word` (word similarity at least WORD_SIMILARITY_THRESHOLD)."""
    if dialect == "postgresql":
        # `%>` is the indexable form of word_similarity >= pg_trgm.word_similarity_threshold (set per connection).
        return SearchWord.word.op("%>")(word)
    return func.fne_word_similarity(word, SearchWord.word) >= WORD_SIMILARITY_THRESHOLD


# The expressions of `match` and `relevance` name their query word by its position (a parameter given at execution,
# see `parameters`): built once per position rather than for every search, which cost more than the statement's
# execution for a short query.
@lru_cache(maxsize=64)
def _similar_words(position: int) -> CTE:
    """PostgreSQL: the vocabulary's words similar to the query's word at `position`, and their scores — looked up
    once per statement (a common table expression) for both `match` and `relevance`."""
    word = _query_word(position)
    return (select(func.array_agg(SearchWord.word).label("words"),
                   func.jsonb_object_agg(SearchWord.word, func.word_similarity(word, SearchWord.word)).label("scores"))
            .where(similar("postgresql", word)).cte(f"similar_words_{position}"))


@lru_cache(maxsize=64)
def relevance(dialect: str, position: int) -> ColumnElement[float]:
    """How well a matching place matches the query's word at `position`: the similarity of its closest word. On
    PostgreSQL, read from the similar words' scores rather than computed again on each place's text."""
    if dialect == "postgresql":
        scores = select(_similar_words(position).c.scores).scalar_subquery()
        held = func.unnest(Place.search_words).table_valued("value").render_derived()
        return (select(func.max(cast(scores.op("->>")(held.c.value), Float))).select_from(held)
                .scalar_subquery())
    return func.fne_word_similarity(_query_word(position), Place.search_text)


@lru_cache(maxsize=64)
def match(dialect: str, position: int) -> ColumnElement[bool]:
    """Places holding a word similar to the query's word at `position`."""
    if dialect == "postgresql":
        return Place.search_words.op("&&")(select(_similar_words(position).c.words).scalar_subquery())
    held = func.json_each(Place.search_words).table_valued("value")
    similar_words = select(SearchWord.word).where(similar(dialect, _query_word(position)))
    return exists().select_from(held).where(held.c.value.in_(similar_words))
