"""The directory's vocabulary: every distinct word of the places' search texts, and how a query word finds its
words there.

A typo-tolerant search compares a word of the query with words, not with whole texts: the query word's
similar words are found among the vocabulary's short entries (a trigram index on PostgreSQL), then the places
holding one of them through an exact index on each place's words. Comparing with whole texts instead means
rechecking every place whose text shares trigrams with the query word — thousands for a short word.

A vocabulary word is the query word's when it is close in trigrams (word similarity at least
WORD_SIMILARITY_THRESHOLD, what the index finds) and one of:
- a typo of it: at most `typos_allowed` edits (insertions, deletions, substitutions), as search engines allow
  ("chamberi", "cheambery" → "chambery");
- a word it begins ("cham" → "chambery"), from 3 letters: what someone still typing has written;
- a word it begins with, nearly as long ("jeanode" → "jean"): words run together.
Trigram closeness alone is too lenient for long words: a shared beginning is half the trigrams, so "villejust"
would find every "villeneuve" and "villers" — many wrong places, at the cost of reading them all. It is what
answers when no word is the query word by that rule (a letter typed for a hyphen: "saintoyorre"), so that an
approximate answer comes rather than none.

Words are never removed: a word no place holds any more only costs an entry, and matches nothing.
"""

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import (
    Float,
    Integer,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import CTE

from fne_directory.places.models import Place, SearchWord
from fne_directory.text import STOP_WORDS, WORD_SIMILARITY_THRESHOLD, normalise_text


def of_text(search_text: str) -> list[str]:
    """The distinct words of a normalised search text, sorted (a stable value)."""
    return sorted(set(search_text.split()))


# Each query word costs a lookup in the vocabulary and an index condition: a long text pasted in the search
# box is searched for by its first words.
MAX_QUERY_WORDS = 10


def of_query(text: str) -> list[str]:
    """The words a search looks for: normalised, each once, without stop words — unless the query holds
    nothing else ("la", "les", "d" match most places, at the cost of reading most places) — the first
    MAX_QUERY_WORDS."""
    found = list(dict.fromkeys(normalise_text(text).split()))
    return ([word for word in found if word not in STOP_WORDS] or found)[:MAX_QUERY_WORDS]


async def remember(session: AsyncSession, places: Iterable[Place]) -> None:
    """Adds the places' words that the vocabulary does not hold yet."""
    words = sorted({word for place in places for word in place.search_words})
    if not words:
        return
    if session.get_bind().dialect.name == "postgresql":
        # One statement for the batch's words (an INSERT per word costs a round of the protocol each).
        await session.execute(REMEMBER, {"words": words})
        return
    await session.execute(
        sqlite.insert(SearchWord).on_conflict_do_nothing(), [{"word": word} for word in words]
    )


REMEMBER = text(
    f"INSERT INTO {SearchWord.__tablename__} (word) SELECT unnest(CAST(:words AS text[])) "
    "ON CONFLICT DO NOTHING"
)


# A beginning of a word shorter than this ("b", "sa") would find a good part of the vocabulary: it finds its
# word only.
SHORTEST_BEGINNING = 3


def typos_allowed(word: str) -> int:
    """Edits a query word may differ by from a place's word: none up to 2 letters, 1 up to 5, then 2 (the
    usual rule of search engines, e.g. Elasticsearch's AUTO fuzziness)."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def shortest_stem(word: str) -> int:
    """The shortest place's word that a query word may begin with ("jeanode" → "jean", not "villejust" →
    "ville")."""
    return max(4, len(word) - 3)


def parameters(query_words: list[str]) -> dict[str, str | int]:
    """The values of the query words' parameters in `match` and `relevance`, to execute a statement with."""
    values: dict[str, str | int] = {}
    for position, word in enumerate(query_words):
        values |= {
            _parameter_name(position): word,
            _parameter_name(position, "typos"): typos_allowed(word),
            _parameter_name(position, "stem"): shortest_stem(word),
        }
    return values


def _parameter_name(position: int, what: str = "") -> str:
    return f"query_word_{position}" + (f"_{what}" if what else "")


def _query_word(position: int) -> BindParameter[str]:
    return bindparam(_parameter_name(position), type_=Text)


def _close(dialect: str, word: ColumnElement[str]) -> ColumnElement[bool]:
    if dialect == "postgresql":
        # `%>` is the indexable form of word_similarity >= pg_trgm.word_similarity_threshold (set per
        # connection).
        return SearchWord.word.op("%>")(word)
    return func.fne_word_similarity(word, SearchWord.word) >= WORD_SIMILARITY_THRESHOLD


def _the_same(position: int) -> ColumnElement[bool]:
    """A typo of the query word, a word it begins, or a word it begins with, nearly as long."""
    word = _query_word(position)
    typos = bindparam(_parameter_name(position, "typos"), type_=Integer)
    stem = bindparam(_parameter_name(position, "stem"), type_=Integer)
    return or_(
        func.levenshtein_less_equal(word, SearchWord.word, typos) <= typos,
        and_(func.length(word) >= SHORTEST_BEGINNING, SearchWord.word.startswith(word)),
        and_(word.startswith(SearchWord.word), func.length(SearchWord.word) >= stem),
    )


# The expressions of `match` and `relevance` name their query word by its position (a parameter given at
# execution, see `parameters`): built once per position rather than for every search, which cost more than the
# statement's execution for a short query.
@lru_cache(maxsize=64)
def _words_of(dialect: str, position: int) -> CTE:
    """The vocabulary's words that are the query's word at `position` (the rule above); when none is, every
    word close in trigrams — an approximate answer rather than none ("saintoyorre": a letter typed for the
    hyphen of Saint-Yorre) — unless the query word is shorter than SHORTEST_BEGINNING (its close words are
    most words). The close words are read once (the trigram index), then kept or not. Query words are
    normalised (letters and digits only): no LIKE wildcard to escape."""
    yes: ColumnElement[int] = literal_column("1")  # SQL constants, not parameters
    no: ColumnElement[int] = literal_column("0")
    close = (
        select(SearchWord.word, case((_the_same(position), yes), else_=no).label("same"))
        .where(_close(dialect, _query_word(position)))
        .cte(f"close_words_{position}")
    )
    any_the_same = select(func.max(close.c.same)).scalar_subquery()
    approximate = and_(any_the_same == no, func.length(_query_word(position)) >= SHORTEST_BEGINNING)
    return select(close.c.word).where(or_(close.c.same == yes, approximate)).cte(f"query_words_{position}")


@lru_cache(maxsize=64)
def _similar_words(position: int) -> CTE:
    """PostgreSQL: the query word's words as one array, and their scores — looked up once per statement (a
    common table expression) for both `match` and `relevance`."""
    found = _words_of("postgresql", position)
    return select(
        func.array_agg(found.c.word).label("words"),
        func.jsonb_object_agg(found.c.word, func.word_similarity(_query_word(position), found.c.word)).label(
            "scores"
        ),
    ).cte(f"similar_words_{position}")


@lru_cache(maxsize=64)
def relevance(dialect: str, position: int) -> ColumnElement[float]:
    """How well a matching place matches the query's word at `position`: the similarity of its closest word.
    On PostgreSQL, read from the similar words' scores rather than computed again on each place's text."""
    if dialect == "postgresql":
        scores = select(_similar_words(position).c.scores).scalar_subquery()
        held = func.unnest(Place.search_words).table_valued("value").render_derived()
        return (
            select(func.max(cast(scores.op("->>")(held.c.value), Float))).select_from(held).scalar_subquery()
        )
    return func.fne_word_similarity(_query_word(position), Place.search_text)


@lru_cache(maxsize=64)
def match(dialect: str, position: int) -> ColumnElement[bool]:
    """Places holding a word similar to the query's word at `position`."""
    if dialect == "postgresql":
        return Place.search_words.op("&&")(select(_similar_words(position).c.words).scalar_subquery())
    held = func.json_each(Place.search_words).table_valued("value")
    return exists().select_from(held).where(held.c.value.in_(select(_words_of(dialect, position).c.word)))
