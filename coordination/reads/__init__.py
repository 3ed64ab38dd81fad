"""Read functions behind the web pages: the aggregates a page shows, as plain SQLAlchemy reads.

Each takes a session and the actor reading, applies the same visibility rules as the API
(`coordination.queries.visible_to`), and returns rows or dicts the page renders; the pages
themselves run no SQL.
"""
