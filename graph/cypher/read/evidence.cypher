// Supporting sentences for pairs of entities ($pairs: [[key_a, key_b], ...]), either direction:
// the predicate (with its stage and the rule that found it), the sentence with both entities' mention spans (offsets within the sentence),
// the document and page. At most $limit sentences per pair; `total` counts them all.
UNWIND $pairs AS pair
MATCH (a:Entity {key: pair[0]}), (b:Entity {key: pair[1]})
WHERE a <> b
CALL (a, b) {
  MATCH (a)-[r:RELATED]-(b)
  WHERE ($predicates IS NULL OR r.predicate IN $predicates)
    AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)
  RETURN count(r) AS total
}
CALL (a, b) {
  MATCH (a)-[r:RELATED]-(b)
  WHERE ($predicates IS NULL OR r.predicate IN $predicates)
    AND ($doc_ids IS NULL OR r.doc_id IN $doc_ids)
  WITH r ORDER BY r.confidence DESC, r.doc_id, r.sentence_id
  LIMIT $limit
  RETURN collect(r) AS rels
}
UNWIND CASE WHEN rels = [] THEN [null] ELSE rels END AS r
OPTIONAL MATCH (s:Sentence {id: r.sentence_id})
OPTIONAL MATCH (d:Document {id: r.doc_id})
RETURN a.key AS a, b.key AS b, total,
       CASE WHEN r IS NULL THEN null ELSE {
         source_key: startNode(r).key, target_key: endNode(r).key, predicate: r.predicate,
         confidence: r.confidence, stage: r.stage, extractor: r.extractor,
         sentence_id: r.sentence_id, doc_id: r.doc_id,
         text: s.text, page: s.page, sentence_idx: s.idx,
         doc_title: d.title, doc_filename: d.filename,
         spans: COLLECT { MATCH (x:Entity)-[m:MENTIONED_IN]->(s) WHERE x = a OR x = b
                          RETURN {key: x.key, type: x.type, start: m.start - s.start, end: m.end - s.start} }
       } END AS row
