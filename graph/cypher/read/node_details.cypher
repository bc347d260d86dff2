// One entity for the details panel: its properties, degree and the documents that mention it.
MATCH (e:Entity {key: $key})
RETURN e.key AS key, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       e.kb_id AS kb_id, e.description AS description,
       coalesce(e.mention_count, 0) AS mention_count, coalesce(e.doc_count, 0) AS doc_count,
       coalesce(e.curated, false) AS curated, labels(e) AS labels,
       COUNT { (e)-[:RELATED]-() } AS degree,
       COLLECT {
         MATCH (e)-[:MENTIONED_IN]->(s:Sentence)-[:IN]->(d:Document)
         WITH d, count(s) AS mentions
         ORDER BY mentions DESC, d.title
         LIMIT $doc_limit
         RETURN {id: d.id, title: d.title, filename: d.filename, path: d.path,
                 ingested_at: d.ingested_at, mentions: mentions}
       } AS documents
