"""`reads.computed_once`: computed on first read, once per instance, then read as a plain attribute."""
from __future__ import annotations

import threading

from coordination.reads.computed_once import computed_once


class _Counted:
    calls = 0

    def __init__(self, base: int) -> None:
        self.base = base

    @computed_once
    def doubled(self) -> int:
        """Twice the base."""
        type(self).calls += 1
        return 2 * self.base


def test_a_value_is_computed_once_per_instance_and_kept() -> None:
    _Counted.calls = 0
    a, b = _Counted(2), _Counted(5)
    assert (a.doubled, a.doubled, b.doubled, a.doubled) == (4, 4, 10, 4)
    assert _Counted.calls == 2
    assert a.__dict__["doubled"] == 4  # later reads find it there
    assert _Counted.doubled.__doc__ == "Twice the base." and isinstance(_Counted.doubled, computed_once)


def test_threads_reading_at_once_all_get_the_value() -> None:
    view = _Counted(21)
    seen: list[int] = []
    threads = [threading.Thread(target=lambda: seen.append(view.doubled)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == [42] * 8
