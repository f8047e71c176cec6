"""What the typesetter keeps between builds (font configurations, parsed stylesheets,
each part's layout), each kind in one small least-recently-used store."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)
Value = TypeVar("Value")


class Kept(Generic[Key, Value]):
    """At most `size` values by key; the one used longest ago goes first."""

    def __init__(self, size: int):
        if size < 1:
            raise ValueError("a store keeps at least one value")
        self.size = size
        self._values: OrderedDict[Key, Value] = OrderedDict()
        self.made = 0  # how many values `get` had to make, and how many it found kept
        self.found = 0

    def get(self, key: Key, make: Callable[[], Value]) -> Value:
        """The value kept for `key`, or `make()`'s, kept from now on."""
        if key in self._values:
            self._values.move_to_end(key)
            self.found += 1
            return self._values[key]
        value = make()  # made before anything is dropped: a failure keeps what was kept
        self.made += 1
        self.put(key, value)
        return value

    def put(self, key: Key, value: Value) -> None:
        """Keep `value` for `key`, in place of what was kept for it."""
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)

    def keep_at_least(self, size: int) -> None:
        """Grow to hold `size` values (never shrink below the size it was made with)."""
        self.size = max(self.size, size)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def clear(self) -> None:
        self._values.clear()
