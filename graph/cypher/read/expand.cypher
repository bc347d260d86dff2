// Neighbours of one entity, one row per neighbour however many RELATED edges join them.
// Actors before kinds ($hub_types: offences, drugs, places last), then typed links before
// co-occurrence, then most supporting sentences with this entity, then the neighbour's
// mention count (a stored property: ranking 5,000 neighbours by their degree would cost more
// than the whole query). Only the page's properties and degrees are read; `total` lets the
// chart offer "show more" from $offset.
MATCH (c:Entity {key: $key})-[r:RELATED]-(m:Entity)
WHERE m <> c
  AND ($predicates IS NULL OR r.predicate IN $predicates)
  AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)
  AND ($types IS NULL OR m.type IN $types)
WITH m, count(r) AS evidence, count(CASE WHEN r.predicate <> $co_occurrence THEN 1 END) AS typed
WHERE evidence >= $min_evidence
ORDER BY CASE WHEN $hub_types IS NOT NULL AND m.type IN $hub_types THEN 1 ELSE 0 END,
         CASE WHEN typed > 0 THEN 0 ELSE 1 END, evidence DESC, m.mention_count DESC, elementId(m)
WITH collect([m, evidence]) AS ranked
WITH size(ranked) AS total, ranked[$offset..($offset + $limit)] AS page
UNWIND CASE WHEN page = [] THEN [null] ELSE page END AS row
WITH total, row[0] AS m, row[1] AS evidence
RETURN total, CASE WHEN m IS NULL THEN null ELSE {
         key: m.key, name: m.name, type: m.type, aliases: coalesce(m.aliases, []),
         mention_count: coalesce(m.mention_count, 0), doc_count: coalesce(m.doc_count, 0),
         degree: COUNT { (m)-[:RELATED]-() }, evidence: evidence} END AS neighbour
