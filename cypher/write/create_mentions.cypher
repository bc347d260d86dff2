UNWIND $rows AS row
MATCH (e:Entity {key: row.key})
MATCH (s:Sentence {id: row.sentence_id})
CREATE (e)-[:MENTIONED_IN {start: row.start, end: row.end, text: row.text, source: row.source}]->(s)
