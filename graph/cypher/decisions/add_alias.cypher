MATCH (e:Entity {key: $key})
WITH e, [a IN [$name] WHERE a <> e.name AND NOT a IN e.aliases] AS new
SET e.aliases = e.aliases + new,
    e.aliases_text = reduce(t = e.aliases_text, a IN new | t + ' | ' + a),
    e.curated = true
RETURN e.key AS key, e.aliases AS aliases
