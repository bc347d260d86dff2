// Predicates in use, most frequent first, for the predicate filter.
MATCH ()-[r:RELATED]->()
RETURN r.predicate AS predicate, count(*) AS n
ORDER BY n DESC, predicate
LIMIT $cap
