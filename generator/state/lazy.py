"""A site read back from the store a piece at a time: mappings whose values are decoded on first use.

A rebuild after one edit reads the site through these, so it decodes the few articles and
statements the edit reaches (the pages it renders), not the 10,000 articles a site may hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

V = TypeVar("V")
_MISSING = object()


class UnreadableStore(Exception):
    """A stored row could not be read back while rendering; the build loads the whole site instead.

    Not a LookupError: Jinja would take that for a missing value and render it empty.
    """


class LazyMapping(Mapping[str, V]):
    """A read-only mapping with its keys in a given order, whose values `make(key)` makes on first use.

    `known` holds what is known of each value without making it (a statement's speaker), when given.
    """

    __slots__ = ("_order", "_members", "_make", "_made", "known")

    def __init__(self, keys: Iterable[str], make: Callable[[str], V], made: Mapping[str, V] | None = None,
                 members: frozenset[str] | None = None, known: Mapping[str, str] | None = None) -> None:
        self._order = tuple(keys)
        self._members = members if members is not None else frozenset(self._order)
        self._make = make
        self._made: dict[str, V] = dict(made or {})
        self.known = known

    def __getitem__(self, key: str) -> V:
        value = self._made.get(key, _MISSING)
        if value is _MISSING:
            if key not in self._members:
                raise KeyError(key)
            value = self._made[key] = self._make(key)
        return value  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        return key in self._members

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def updated(self, changes: Mapping[str, V]) -> LazyMapping[V]:
        """A copy with `changes` (to keys it has, leaving what is `known` of them as it was) as values."""
        if not changes.keys() <= self._members:
            raise ValueError("a lazy mapping's keys are fixed")
        return LazyMapping(self._order, self._make, {**self._made, **changes}, self._members, self.known)
