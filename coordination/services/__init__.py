"""The service layer: every write goes through here, whichever door it came through.

Services take a SQLAlchemy session and an `Actor`, check permissions, validate,
write, record the change, run the follow-up work (tagging, overlap detection) and
commit; on any error they roll back so nothing is half-written.
"""
