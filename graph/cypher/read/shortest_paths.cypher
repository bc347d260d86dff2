// Shortest paths over RELATED edges, either direction: every path of the minimum length
// (ALL SHORTEST stops at the first length that reaches $target). __MAX_HOPS__ is replaced by an
// integer that graph.read validates (a quantifier bound cannot be a parameter). Parallel edges
// give several paths through the same entities; the caller keeps distinct entity sequences.
// $typed_only: co-occurrence edges are not walked. $hub_types: entities of these types (offences,
// drugs, places) are never an intermediate hop, only an end.
MATCH (a:Entity {key: $source}), (b:Entity {key: $target})
WHERE a <> b
MATCH p = ALL SHORTEST (a) ((x:Entity)-[r:RELATED]-(y:Entity)
                            WHERE ($predicates IS NULL OR r.predicate IN $predicates)
                              AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)
                              AND (NOT $typed_only OR r.predicate <> $co_occurrence)
                              AND ($hub_types IS NULL OR y.key = $target OR NOT y.type IN $hub_types)
                           ){1,__MAX_HOPS__} (b)
RETURN [n IN nodes(p) | n.key] AS keys, length(p) AS hops
LIMIT $k
