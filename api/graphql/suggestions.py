"""GraphQL `suggest(...)`: the same content as REST POST /api/v1/suggestions (composed in schema.py)."""
from __future__ import annotations

import graphene

from coordination.services.suggestions import suggest


class CodeSuggestion(graphene.ObjectType):
    code = graphene.String(required=True)
    title = graphene.String()
    score = graphene.Float(required=True)
    confident = graphene.Boolean(required=True, description="The platform would apply it on its own")
    applies = graphene.Boolean(description="Goals only: yes or no, is this one of the work's goals "
                                           "(calibrated for few wrong answers either way); null for targets")
    because = graphene.List(graphene.NonNull(graphene.String), required=True,
                            description="The words of the text the goal's score rests on most, "
                                        "strongest first (for a target, its goal's)")


class PlaceSuggestion(graphene.ObjectType):
    name = graphene.String()
    country = graphene.String()
    admin1 = graphene.String()
    lat = graphene.Float()
    lon = graphene.Float()


class Suggestions(graphene.ObjectType):
    goals = graphene.List(graphene.NonNull(CodeSuggestion), required=True)
    targets = graphene.List(graphene.NonNull(CodeSuggestion), required=True)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    places = graphene.List(graphene.NonNull(PlaceSuggestion), required=True)
    work = graphene.List(graphene.NonNull(graphene.String), required=True,
                         description="Kinds of work the text names (what overlap detection compares)")


class SuggestionQueries(graphene.ObjectType):
    # `description` is also Field's own keyword, so the arguments go through `args`.
    suggest = graphene.Field(Suggestions, required=True, args={
        "title": graphene.String(required=True), "description": graphene.String(),
        "tags": graphene.List(graphene.NonNull(graphene.String)), "country": graphene.String()},
        description="Goals, targets, tags and places suggested from an initiative's text.")

    @staticmethod
    def resolve_suggest(_root, info, title, description="", tags=None, country=None):
        data = suggest(info.context.session, title, description or "", tags or [], country)
        return Suggestions(goals=[CodeSuggestion(**g) for g in data["goals"]],
                           targets=[CodeSuggestion(**t) for t in data["targets"]], tags=data["tags"],
                           places=[PlaceSuggestion(**p) for p in data["places"]], work=data["work"])
