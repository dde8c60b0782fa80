"""Service layer with decorators, properties and overloads."""
from __future__ import annotations

import functools
import logging as log
from typing import Any, Callable, Generic, Optional, TypeVar, overload

T = TypeVar("T")
logger = log.getLogger(__name__)


def retry(times: int = 3, *, delay: float = 0.5, exceptions: tuple[type[Exception], ...] = (IOError,)):
    """Retry a call a few times.

    Longer description here.
    """
    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> T:
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except exceptions as exc:  # noqa
                    logger.warning("retry %s: %r", attempt, exc)
            raise RuntimeError(f"gave up after {times} tries")
        return inner
    return wrap


class Repository(Generic[T]):
    '''Stores things.'''

    registry: dict[str, "Repository[Any]"] = {}

    def __init__(self, name: str, items: Optional[list[T]] = None) -> None:
        self.name = name
        self._items = list(items or [])
        Repository.registry[name] = self

    @property
    def size(self) -> int:
        return len(self._items)

    @size.setter
    def size(self, value: int) -> None:
        del self._items[value:]

    @overload
    def get(self, key: int) -> T: ...
    @overload
    def get(self, key: slice) -> list[T]: ...
    def get(self, key):
        return self._items[key]

    @retry(times=5, delay=1e-3)
    async def fetch(self, url: str, /, timeout: float = 10.0, *, headers: dict[str, str] | None = None) -> bytes:
        async with self.session() as s:
            resp = await s.get(url, timeout=timeout, headers=headers or {})
            return await resp.read()

    @classmethod
    def create(cls, name="default", key=lambda x: x[0], **options) -> "Repository":
        return cls(name, **options)

    @staticmethod
    def _normalise(value: str | bytes, encoding: str = 'utf-8', errors="strict") -> str:
        return value.decode(encoding, errors) if isinstance(value, bytes) else value.strip()

    def session(self):
        return _Session(self.name)


class _Session:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return False


def main(argv: list[str] | None = None) -> int:
    repo = Repository.create("main")
    repo.size = 3
    print(f"{repo.name!r:>{10}} has {repo.size} items")
    return 0 if repo.get(0) is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
