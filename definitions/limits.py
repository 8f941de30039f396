"""How large a YAML document (a definition or a scenario) may be, and how much its aliases may say.

Anyone holding a token may send a definition to be validated, so reading one
must stay cheap whatever the text: a document beyond any of these limits is
refused while it is being read, before anything is built from it, with a
problem that names the limit. Real definitions are far inside every one of
them (the Cuenca definition: 9 KiB, 8 levels deep, no aliases).
"""

from __future__ import annotations

MAX_DEFINITION_BYTES = 5 * 1024 * 1024
"""The longest document, in bytes of UTF-8 (5 MiB): about 50,000 phases.

Files longer than this are not read; the API refuses definitions longer than this.
"""

MAX_ALIASES = 1_000
"""The most aliases (``*name``) a document may use."""

MAX_EXPANDED_NODES = 100_000
"""The most nodes a document's aliases may stand for.

Each alias counts as a copy of the whole of what its anchor names, aliases within
it included, so nested aliases that would expand to millions of values (a
"billion laughs") are refused after a few dozen nodes have been read.
"""

MAX_KEY_LENGTH = 1024
"""The longest mapping key, in characters.

YAML itself allows no longer ``key: value``; this holds keys written ``? key`` to it too.
"""

MAX_DEPTH = 64
"""The most levels of nesting a document may have (a value in the top mapping is on level 2)."""

MAX_PROBLEMS = 100
"""The most problems one refusal lists (the first ones by line); a last one says how many more."""
