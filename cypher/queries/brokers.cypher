// @name brokers
// @description Entities with the most distinct connections (possible brokers): how many other
//   entities each is linked to, of how many types, and in how many documents.
// @param type: entity_type = null     only entities of this type, e.g. PERSON
// @param min_confidence: float = 0.0  ignore links below this confidence
// @param limit: int = 10              at most this many rows
MATCH (e:Entity)-[r:RELATED]-(other:Entity)
WHERE ($type IS NULL OR e.type = $type) AND r.confidence >= $min_confidence AND other <> e
WITH e, count(DISTINCT other) AS connections, count(DISTINCT other.type) AS types,
     count(DISTINCT r.doc_id) AS documents
RETURN e AS entity, e.type AS type, connections, types, documents
ORDER BY connections DESC, documents DESC, e.name
LIMIT $limit
