"""The service layer: every write goes through here, whichever door it came through.

Services take the door's unit of work (or its session) and an `Actor`, check permissions,
validate, write, record the change and ask for the follow-up work (`uow.after_write`: overlap
detection). They never commit or roll back: the door does, once (see
`coordination.unit_of_work` and docs/ARCHITECTURE.md, "Transactions").
"""
