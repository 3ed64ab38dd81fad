"""Jobs: commands that run several units of work one after the other.

A service does its work inside one unit of work and never commits; a job is the one place
that owns several: the webhook worker commits each delivery, the digest run each digest,
the seed each batch of records. Doors (the CLI, scripts) call jobs with a session.
"""
