// Export: one row per RELATED edge (one per evidence sentence) of a document in $cases (null:
// every case), reached through that document; with $typed_only the weak $weak edges are left out.
MATCH (d:Document)
WHERE $cases IS NULL OR d.case IN $cases
MATCH (a:Entity)-[r:RELATED {doc_id: d.id}]->(b:Entity)
WHERE NOT $typed_only OR r.predicate <> $weak
OPTIONAL MATCH (s:Sentence {id: r.sentence_id})
RETURN a.key AS source, a.name AS source_name, a.type AS source_type,
       b.key AS target, b.name AS target_name, b.type AS target_type,
       r.predicate AS predicate, r.confidence AS confidence, r.extractor AS extractor, r.stage AS stage,
       r.date AS date, d.id AS doc_id, d.path AS doc_path, d.title AS doc_title, d.case AS case,
       toString(d.ingested_at) AS ingested_at, r.sentence_id AS sentence_id, s.text AS sentence,
       s.page AS page
ORDER BY source, target, predicate, doc_id, sentence_id
