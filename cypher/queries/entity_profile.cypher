// @name entity_profile
// @description Everything known about one entity: its type, aliases, how often and where it is
//   mentioned, and each entity it is linked to with the predicates and the number of sentences.
// @param entity: entity      the entity: its key, name or an alias
// @param links: int = 50     at most this many linked entities, most evidence first
MATCH (e:Entity {key: $entity})
CALL (e) {
  OPTIONAL MATCH (e)-[:MENTIONED_IN]->(:Sentence)-[:IN]->(d:Document)
  WITH d ORDER BY d.filename
  RETURN collect(DISTINCT d.filename) AS documents
}
CALL (e) {
  OPTIONAL MATCH (e)-[r:RELATED]-(other:Entity)
  WITH other, collect(DISTINCT r.predicate) AS predicates, count(DISTINCT r.sentence_id) AS sentences
  ORDER BY sentences DESC, other.name
  LIMIT $links
  RETURN collect(CASE WHEN other IS NULL THEN null ELSE
                 {entity: other.name, type: other.type, predicates: predicates, sentences: sentences} END)
         AS linked
}
RETURN e AS entity, e.type AS type, coalesce(e.aliases, []) AS aliases, e.kb_id AS kb_id,
       e.description AS description, e.mention_count AS mentions, e.doc_count AS document_count,
       documents, linked
