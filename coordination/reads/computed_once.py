"""`computed_once`: `functools.cached_property` without its lock.

Python 3.11's `cached_property` computes a value under one lock per property, shared by every
instance in every thread (3.12 dropped it). A read model is built per request and reader, and
two threads computing the same value would each get the same answer: no lock is needed, and
a history snapshot of a bulk import (six such values per initiative) no longer takes one.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class computed_once(Generic[T]):  # noqa: N801 - used as a decorator, like cached_property
    """A property computed on first read and kept in the instance's `__dict__` (later reads
    find it there without calling this descriptor)."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> computed_once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | computed_once[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
