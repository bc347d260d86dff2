// @name shortest_paths
// @description Shortest chains of links between two entities (any direction, any predicate),
//   one row per distinct chain of entities; `variants` counts the sentence-level links that can
//   make up that chain (several sentences may back one step).
// @param from: entity          the first entity: key, name or alias
// @param to: entity            the second entity: key, name or alias
// @param max_hops: int = 4     ignore chains longer than this (at most 8)
MATCH (a:Entity {key: $from}), (b:Entity {key: $to})
WHERE a <> b
MATCH p = allShortestPaths((a)-[:RELATED*..8]-(b))
WITH p WHERE length(p) <= $max_hops
WITH [n IN nodes(p) | n.name] AS route, [n IN nodes(p) | n.key] AS keys, p
// Sorted so that the chain's representative path is always the same one.
ORDER BY [r IN relationships(p) | r.predicate], [r IN relationships(p) | r.sentence_id]
WITH route, keys, collect(p) AS paths
RETURN route, size(keys) - 1 AS hops, size(paths) AS variants, paths[0] AS path
ORDER BY variants DESC, route
