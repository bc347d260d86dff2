// @name new_entities
// @description Entities first written to the graph at or after a moment (a date means its
//   midnight, UTC), newest first, with the documents they are mentioned in.
// @param since: datetime              e.g. 2024-05-01 or 2024-05-01T14:30
// @param type: entity_type = null     only entities of this type
// @param limit: int = 100             at most this many rows
MATCH (e:Entity)
WHERE e.created_at >= $since AND ($type IS NULL OR e.type = $type)
OPTIONAL MATCH (e)-[:MENTIONED_IN]->(:Sentence)-[:IN]->(d:Document)
WITH e, collect(DISTINCT d.filename) AS documents
RETURN e AS entity, e.type AS type, e.created_at AS first_seen, documents
ORDER BY first_seen DESC, e.name
LIMIT $limit
