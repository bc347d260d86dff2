MATCH (x:Decision)
RETURN x.id AS id, x.kind AS kind, x.who AS who, toString(x.at) AS at, x.why AS why, x.key AS key,
       x.into_key AS into_key, x.from_keys AS from_keys, x.name AS name, x.texts AS texts
ORDER BY x.at DESC
LIMIT $limit
