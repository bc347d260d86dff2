// Shortest paths over RELATED edges, either direction: every path of the minimum length
// (ALL SHORTEST stops at the first length that reaches $target). __MAX_HOPS__ is replaced by an
// integer that graph.read validates (a quantifier bound cannot be a parameter). Parallel edges
// give several paths through the same entities; the caller keeps distinct entity sequences.
MATCH (a:Entity {key: $source}), (b:Entity {key: $target})
WHERE a <> b
MATCH p = ALL SHORTEST (a)-[r:RELATED WHERE ($predicates IS NULL OR r.predicate IN $predicates)
                                     AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)]-{1,__MAX_HOPS__}(b)
RETURN [n IN nodes(p) | n.key] AS keys, length(p) AS hops
LIMIT $k
