// Endpoints by the element ids ($nodes: key → id) merge_entities returned in this transaction.
UNWIND $rows AS row
MATCH (a:Entity) WHERE elementId(a) = $nodes[row.source_key]
MATCH (b:Entity) WHERE elementId(b) = $nodes[row.target_key]
CREATE (a)-[:RELATED {predicate: row.predicate, sentence_id: row.sentence_id, doc_id: row.doc_id,
                      confidence: row.confidence, extractor: row.extractor, stage: row.stage}]->(b)
