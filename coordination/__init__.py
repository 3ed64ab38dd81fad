"""The coordination domain: visions and goals, organisations, initiatives, overlaps.

This package imports neither Flask nor graphene nor marshmallow; everything in it
can be used with a bare SQLAlchemy session or with plain data.
"""
