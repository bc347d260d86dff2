// @name two_hop_network
// @description The network around an entity, two links deep, keeping only links backed by at
//   least `min_evidence` sentences: one row per linked pair, first ring first. A link between two
//   entities of the first ring comes once, as hop 2.
// @param entity: entity           the centre: key, name or alias
// @param min_evidence: int = 1    sentences needed for a link to count
// @param limit: int = 200         at most this many linked pairs
MATCH (x:Entity {key: $entity})-[r:RELATED]-(n:Entity)
WHERE n <> x
WITH x, n, collect(r) AS links, collect(DISTINCT r.predicate) AS predicates,
     count(DISTINCT r.sentence_id) AS evidence
WHERE evidence >= $min_evidence
WITH x, collect({n: n, links: links, predicates: predicates, evidence: evidence}) AS ring
WITH x, ring, [h IN ring | h.n] AS ring_nodes
UNWIND ring AS h
CALL (x, h, ring_nodes) {
  RETURN x AS source, h.n AS target, 1 AS hop, h.evidence AS evidence, h.predicates AS predicates,
         h.links AS links
  UNION
  WITH x, h.n AS n1, ring_nodes
  MATCH (n1)-[r2:RELATED]-(n2:Entity)
  WHERE n2 <> x AND n2 <> n1 AND (NOT n2 IN ring_nodes OR elementId(n1) < elementId(n2))
  WITH n1, n2, collect(r2) AS links, collect(DISTINCT r2.predicate) AS predicates,
       count(DISTINCT r2.sentence_id) AS evidence
  WHERE evidence >= $min_evidence
  RETURN n1 AS source, n2 AS target, 2 AS hop, evidence, predicates, links
}
RETURN source, target, hop, evidence, predicates, links
ORDER BY hop, evidence DESC, source.name, target.name
LIMIT $limit
