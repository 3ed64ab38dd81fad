"""The GraphQL door: the same services and validation as REST, behind /graphql."""
