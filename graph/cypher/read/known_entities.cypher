// What resolution needs to know of the graph: every entity's key, type, name and aliases.
MATCH (e:Entity)
RETURN e.key AS key, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases
