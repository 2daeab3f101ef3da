"""Pydantic's validation messages in French, for every error type pydantic-core can raise.

People read these messages (the web app shows them field by field): none may reach them in English, and none
may show a regular expression. Messages of the services' own validators (`value_error`) are already French and
are kept, without pydantic's "Value error, " prefix.
"""

import re
from typing import Any

# Templates per pydantic-core error type; `{name}` is filled from the error's context when present.
FRENCH: dict[str, str] = {
    "no_such_attribute": "attribut inconnu",
    "json_invalid": "JSON invalide : le contenu envoyé n'a pas pu être lu",
    "json_type": "texte JSON attendu",
    "needs_python_object": "type de valeur non accepté",
    "recursion_loop": "valeur récursive non acceptée",
    "recursion_depth_exceeded": "valeur trop profondément imbriquée",
    "missing": "champ obligatoire",
    "frozen_field": "ce champ ne peut pas être modifié",
    "frozen_instance": "cet objet ne peut pas être modifié",
    "extra_forbidden": "champ inconnu : retirez-le",
    "invalid_key": "clé invalide",
    "get_attribute_error": "valeur illisible",
    "model_type": "objet attendu (liste de champs entre accolades)",
    "model_attributes_type": "objet attendu (liste de champs entre accolades)",
    "dataclass_type": "objet attendu (liste de champs entre accolades)",
    "dataclass_exact_type": "objet attendu (liste de champs entre accolades)",
    "named_tuple_type": "liste de valeurs attendue",
    "default_factory_not_called": "valeur par défaut indisponible",
    "none_required": "ce champ doit rester vide",
    "greater_than": "la valeur doit être supérieure à {gt}",
    "greater_than_equal": "la valeur doit être supérieure ou égale à {ge}",
    "less_than": "la valeur doit être inférieure à {lt}",
    "less_than_equal": "la valeur doit être inférieure ou égale à {le}",
    "multiple_of": "la valeur doit être un multiple de {multiple_of}",
    "finite_number": "nombre fini attendu",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "too_long": "au plus {max_length} élément(s) accepté(s)",
    "iterable_type": "liste attendue",
    "iteration_error": "liste illisible",
    "string_type": "texte attendu",
    "string_unicode": "texte attendu (caractères illisibles)",
    "string_too_short": "au moins {min_length} caractère(s) attendu(s)",
    "string_too_long": "au plus {max_length} caractère(s) accepté(s)",
    "string_pattern_mismatch": "format non reconnu",
    "string_not_ascii": "lettres sans accent, chiffres et signes simples seulement",
    "enum": "valeur non prévue",
    "dict_type": "objet attendu (liste de champs entre accolades)",
    "frozen_dict_type": "objet attendu (liste de champs entre accolades)",
    "ordered_dict_type": "objet attendu (liste de champs entre accolades)",
    "counter_type": "objet attendu (liste de champs entre accolades)",
    "mapping_type": "objet attendu (liste de champs entre accolades)",
    "list_type": "liste attendue",
    "deque_type": "liste attendue",
    "tuple_type": "liste attendue",
    "set_type": "liste de valeurs distinctes attendue",
    "set_item_not_hashable": "valeur non acceptée dans une liste de valeurs distinctes",
    "bool_type": "oui ou non attendu (true ou false)",
    "bool_parsing": "oui ou non attendu (true ou false)",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_parsing_size": "nombre entier trop grand",
    "int_from_float": "nombre entier attendu, sans décimales",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "bytes_type": "données binaires attendues",
    "bytes_too_short": "au moins {min_length} octet(s) attendu(s)",
    "bytes_too_long": "au plus {max_length} octet(s) accepté(s)",
    "bytes_invalid_encoding": "encodage des données non reconnu",
    "value_error": "valeur invalide",
    "assertion_error": "valeur invalide",
    "literal_error": "valeur non prévue",
    "missing_sentinel_error": "valeur non acceptée",
    "ellipsis_error": "valeur non acceptée",
    "date_type": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date sans heure attendue (AAAA-MM-JJ)",
    "date_past": "la date doit être passée",
    "date_future": "la date doit être à venir",
    "time_type": "heure attendue (HH:MM)",
    "time_parsing": "heure attendue (HH:MM)",
    "datetime_type": "date et heure attendues (AAAA-MM-JJTHH:MM)",
    "datetime_parsing": "date et heure attendues (AAAA-MM-JJTHH:MM)",
    "datetime_object_invalid": "date et heure invalides",
    "datetime_from_date_parsing": "date et heure attendues (AAAA-MM-JJTHH:MM)",
    "datetime_past": "la date doit être passée",
    "datetime_future": "la date doit être à venir",
    "timezone_naive": "date et heure sans fuseau horaire attendues",
    "timezone_aware": "précisez le fuseau horaire (ex. 2026-12-31T23:59:00+01:00)",
    "timezone_offset": "décalage horaire non accepté",
    "time_delta_type": "durée attendue",
    "time_delta_parsing": "durée attendue",
    "frozen_set_type": "liste de valeurs distinctes attendue",
    "is_instance_of": "type de valeur non accepté",
    "is_subclass_of": "type de valeur non accepté",
    "callable_type": "type de valeur non accepté",
    "union_tag_invalid": "type d'objet non prévu (valeurs permises : {expected_tags})",
    "union_tag_not_found": "précisez le champ « {discriminator} »",
    "arguments_type": "arguments invalides",
    "missing_argument": "argument obligatoire",
    "unexpected_keyword_argument": "argument inconnu",
    "missing_keyword_only_argument": "argument obligatoire",
    "unexpected_positional_argument": "argument inattendu",
    "missing_positional_only_argument": "argument obligatoire",
    "multiple_argument_values": "argument donné plusieurs fois",
    "url_type": "adresse web attendue",
    "url_parsing": "adresse web invalide (ex. https://exemple.fr)",
    "url_syntax_violation": "adresse web invalide (ex. https://exemple.fr)",
    "url_too_long": "adresse web trop longue (au plus {max_length} caractères)",
    "url_scheme": "adresse web commençant par {expected_schemes} attendue",
    "uuid_type": "identifiant attendu",
    "uuid_parsing": "identifiant invalide",
    "uuid_version": "identifiant invalide",
    "decimal_type": "nombre décimal attendu",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_max_digits": "au plus {max_digits} chiffres",
    "decimal_max_places": "au plus {decimal_places} chiffres après la virgule",
    "decimal_whole_digits": "au plus {whole_digits} chiffres avant la virgule",
    "fraction_type": "fraction attendue",
    "fraction_parsing": "fraction attendue",
    "complex_type": "nombre complexe attendu",
    "complex_str_parsing": "nombre complexe attendu",
}

# Messages of libraries pydantic calls (e-mail validation) that arrive as `value_error` in English.
_ENGLISH_VALUE_ERRORS = (
    ("value is not a valid email address", "adresse électronique invalide"),
    ("invalid", "valeur invalide"),
)
# The only patterns a person can be told about in words: a fixed number of digits.
_DIGITS = re.compile(r"\^?\\d\{(\d+)\}\$?")
_PREFIXES = ("Value error, ", "Assertion failed, ")


def _french_list(value: Any) -> str:
    """pydantic's "'a', 'b' or 'c'" lists with the French conjunction."""
    return str(value).replace("' or '", "' ou '")


def french_message(error: dict[str, Any]) -> str:
    """The French reason for one pydantic error (as returned by `ValidationError.errors()`)."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        for prefix in _PREFIXES:
            if message.startswith(prefix):
                message = message[len(prefix) :]
        lowered = message.lower()
        for english, french in _ENGLISH_VALUE_ERRORS:
            if lowered.startswith(english):
                return french
        return message or FRENCH[kind]
    if kind == "string_pattern_mismatch":
        digits = _DIGITS.fullmatch(str(context.get("pattern", "")))
        if digits:
            return f"{digits.group(1)} chiffres attendus"
    template = FRENCH.get(kind)
    if template is None:
        return "valeur invalide"
    values = {key: _french_list(value) for key, value in context.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return "valeur invalide"
