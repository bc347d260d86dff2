// Export: the entities named in the documents of $cases (null: every case), with what those
// documents say of them: mention and document counts, the surface forms used (aliases). With
// $typed_only, only entities that take part in a typed relation (not $weak) of such a document.
MATCH (d:Document)
WHERE $cases IS NULL OR d.case IN $cases
MATCH (e:Entity)-[m:MENTIONED_IN]->(:Sentence)-[:IN]->(d)
WITH e, count(m) AS mentions, count(DISTINCT d) AS docs, collect(DISTINCT d.id) AS doc_ids,
     collect(DISTINCT m.text) AS texts
WHERE NOT $typed_only OR EXISTS {
  MATCH (e)-[r:RELATED]-(:Entity)
  WHERE r.predicate <> $weak AND r.doc_id IN doc_ids
}
RETURN e.key AS key, e.name AS name, e.type AS type, e.kb_id AS kb_id, e.description AS description,
       [t IN texts WHERE toLower(t) <> toLower(e.name)] AS aliases, mentions, docs
ORDER BY key
