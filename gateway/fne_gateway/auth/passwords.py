"""Password rules after NIST SP 800-63B, and hashing off the event loop.

Rules: at least 12 characters that are not spaces (spaces are allowed, for passphrases, but do not count), at
most 1024, and not guessable — zxcvbn's estimate (common passwords, words, keyboard walks, repeats, dates)
must reach 3 of 4. No composition rules (a capital, a digit…): NIST advises against them.

Argon2 takes ~50 ms of CPU per hash: run on the event loop, two clients posting logins stalled every request
the gateway proxies (issue 13). It runs in a worker thread (argon2-cffi releases the GIL), one hash at a time,
with one lane (service.password_hasher: parallelism 1, so a hash takes one core, not all), at a lower priority
than the event loop: a login flood queues for hashing instead of taking the CPU from proxying.
"""

import asyncio
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_STRENGTH = 3
# zxcvbn's cost grows with the length; past this, a password is long enough that its beginning decides.
_ESTIMATED_PREFIX = 100
HASHING_CONCURRENCY = 1

# zxcvbn's lists are English: the bases of the passwords most common in France, and the place's own names,
# are added to its dictionary.
FRENCH_COMMON = (
    "motdepasse",
    "azerty",
    "azertyuiop",
    "soleil",
    "bonjour",
    "doudou",
    "chouchou",
    "loulou",
    "jetaime",
    "chocolat",
    "coucou",
    "princesse",
    "marseille",
    "france",
    "nicolas",
    "camille",
    "julien",
    "thomas",
    "amour",
    "bisous",
    "papa",
    "maman",
    "nounours",
    "chaton",
    "liberte",
    "celine",
    "isabelle",
    "stephanie",
    "savoie",
    "chambery",
    "annecy",
    "aixlesbains",
    "albertville",
    "numerique",
    "inclusion",
    "mediation",
    "administrateur",
    "utilisateur",
    "connexion",
    "secret",
    "confidentiel",
)
T = TypeVar("T")


def password_problem(password: str, *context: str) -> str | None:
    """Why the password cannot be chosen (in French), or None. `context`: the person's e-mail and name."""
    if len(password) > MAX_LENGTH:
        return f"Au plus {MAX_LENGTH} caractères"
    if sum(1 for char in password if not char.isspace()) < MIN_LENGTH:
        return f"Au moins {MIN_LENGTH} caractères, sans compter les espaces"
    names = (part for value in context for part in value.replace("@", " ").replace(".", " ").split())
    words = [*FRENCH_COMMON, *(part for part in names if part)]
    if zxcvbn(password[:_ESTIMATED_PREFIX], user_inputs=words)["score"] < MIN_STRENGTH:
        return (
            "Mot de passe trop facile à deviner (mot de passe courant, suite de clavier, répétition, "
            "nom ou date) : une phrase de quelques mots peu communs convient mieux"
        )
    return None


# Below the event loop's priority: when both want the CPU, proxying goes first and logins wait (Linux sets the
# priority per thread, and Argon2's own threads inherit it).
HASHING_NICE = 10


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICE)
    except (AttributeError, OSError):  # not Linux, or not allowed: hashing still runs off the loop
        pass


_hashing = ThreadPoolExecutor(
    max_workers=HASHING_CONCURRENCY, thread_name_prefix="fne-password-hashing", initializer=_lower_priority
)


async def off_the_loop(work: Callable[..., T], *args: object) -> T:
    """Runs a hash or a verification in the hashing thread (HASHING_CONCURRENCY at a time, queued)."""
    return await asyncio.get_running_loop().run_in_executor(_hashing, functools.partial(work, *args))
