// @name co_occurring
// @description Who co-occurs most with an entity: other entities mentioned in the same sentences,
//   most shared sentences first.
// @param entity: entity                the entity: its key, name or an alias
// @param type: entity_type = null      only co-occurring entities of this type, e.g. PERSON
// @param limit: int = 10               at most this many rows
MATCH (x:Entity {key: $entity})-[:MENTIONED_IN]->(s:Sentence)<-[:MENTIONED_IN]-(other:Entity)
WHERE other <> x AND ($type IS NULL OR other.type = $type)
WITH other, count(DISTINCT s) AS sentences, count(DISTINCT s.doc_id) AS documents
RETURN other AS entity, other.type AS type, sentences, documents
ORDER BY sentences DESC, documents DESC, other.name
LIMIT $limit
