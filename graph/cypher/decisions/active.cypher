// Decisions later writes must honour, oldest first.
MATCH (x:Decision) WHERE x.kind IN ['merge', 'split']
RETURN x.kind AS kind, x.from_keys AS from_keys, x.into_key AS into_key, x.key AS key, x.texts AS texts,
       x.name AS name
ORDER BY x.at
