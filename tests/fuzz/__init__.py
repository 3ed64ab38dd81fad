"""Fuzz tests: generated requests against the OpenAPI document and the GraphQL schema."""
