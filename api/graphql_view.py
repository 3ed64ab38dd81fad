"""GraphQL endpoint (placeholder until the schema lands)."""
from flask import Blueprint

bp = Blueprint("graphql", __name__)
