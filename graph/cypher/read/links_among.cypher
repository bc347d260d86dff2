// The chart's edges: RELATED edges among the entities on the chart, parallel edges (one per
// sentence) folded into one link per pair. `source` < `target`; forward counts source→target.
MATCH (a:Entity)-[r:RELATED]->(b:Entity)
WHERE a.key IN $keys AND b.key IN $keys AND a <> b
  AND ($predicates IS NULL OR r.predicate IN $predicates)
  AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)
WITH a.key < b.key AS ordered, a.key AS x, b.key AS y, r
WITH CASE WHEN ordered THEN x ELSE y END AS source, CASE WHEN ordered THEN y ELSE x END AS target,
     ordered, r
WITH source, target, count(r) AS evidence, sum(CASE WHEN ordered THEN 1 ELSE 0 END) AS forward,
     collect(r.predicate) AS predicates
WHERE evidence >= $min_evidence
RETURN source, target, evidence, forward, evidence - forward AS backward, predicates
ORDER BY evidence DESC, source, target
LIMIT $cap
