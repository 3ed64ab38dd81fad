"""Organisation identity: one organisation written many ways (names, acronyms, identifiers, IATI lists)."""
