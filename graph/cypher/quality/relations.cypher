// Every RELATED edge with its evidence sentence (the sentence text and the document's path).
MATCH (a:Entity)-[r:RELATED]->(b:Entity)
OPTIONAL MATCH (s:Sentence {id: r.sentence_id})-[:IN]->(d:Document)
RETURN a.key AS source, b.key AS target, r.predicate AS predicate, r.confidence AS confidence,
       s.text AS sentence, d.path AS path
ORDER BY source, target, predicate, path
