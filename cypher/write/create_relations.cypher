// Endpoints are the element ids merge_entities returned in this transaction: no index lookups.
UNWIND $rows AS row
MATCH (a:Entity) WHERE elementId(a) = row.source
MATCH (b:Entity) WHERE elementId(b) = row.target
CREATE (a)-[:RELATED {predicate: row.predicate, sentence_id: row.sentence_id, doc_id: row.doc_id,
                      confidence: row.confidence}]->(b)
