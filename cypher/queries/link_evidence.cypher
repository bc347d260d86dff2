// @name link_evidence
// @description The sentences behind every link between two entities (either direction): what
//   was said, where, and how sure the extraction was.
// @param a: entity     one entity: key, name or alias
// @param b: entity     the other entity: key, name or alias
MATCH (x:Entity {key: $a})-[r:RELATED]-(y:Entity {key: $b})
MATCH (s:Sentence {id: r.sentence_id})-[:IN]->(d:Document)
RETURN startNode(r).name AS subject, r.predicate AS predicate, endNode(r).name AS object,
       s.text AS sentence, d.filename AS document, s.page AS page, r.confidence AS confidence, r AS link
ORDER BY d.filename, s.idx, predicate
