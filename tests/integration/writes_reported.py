"""Run the `coordination` command, keeping in the file $WRITES_REPORTED how much it has written
and not yet committed.

The file holds one number: the INSERT, UPDATE and DELETE statements sent in transactions that
are still open (counted per connection; a commit or rollback of that connection sets its count
back to zero). The kill tests run the real command through this script to know, from outside,
that it has written something not yet committed before they kill it (SQLite shows another
connection only that the write lock is held).
"""
from __future__ import annotations

import os
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITES = ("INSERT", "UPDATE", "DELETE")


def main() -> None:
    marker = os.open(os.environ["WRITES_REPORTED"], os.O_WRONLY | os.O_CREAT, 0o600)
    pending: dict[int, int] = {}

    def publish() -> None:
        os.pwrite(marker, b"%012d" % sum(pending.values()), 0)

    @event.listens_for(Engine, "after_cursor_execute")
    def _wrote(conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip()[:6].upper() in WRITES:
            pending[id(conn)] = pending.get(id(conn), 0) + 1
            publish()

    @event.listens_for(Engine, "commit")
    @event.listens_for(Engine, "rollback")
    def _ended(conn) -> None:
        if pending.pop(id(conn), 0):
            publish()

    from api.cli import main as coordination

    coordination(args=sys.argv[1:], prog_name="coordination")


if __name__ == "__main__":
    main()
