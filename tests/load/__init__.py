"""Load tests: the platform under gunicorn, many writers and readers, then a count."""
