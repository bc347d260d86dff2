UNWIND $rows AS row
MATCH (a:Entity {key: row.source_key})
MATCH (b:Entity {key: row.target_key})
CREATE (a)-[:RELATED {predicate: row.predicate, sentence_id: row.sentence_id, doc_id: row.doc_id,
                      confidence: row.confidence}]->(b)
