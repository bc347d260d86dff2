// Recount after a write; an entity left with no mention goes, unless an analyst curated it.
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (e)-[:MENTIONED_IN]->(s:Sentence)
WITH e, count(s) AS mentions, count(DISTINCT s.doc_id) AS docs
SET e.mention_count = mentions, e.doc_count = docs
WITH e, mentions
WHERE mentions = 0 AND NOT coalesce(e.curated, false)
DETACH DELETE e
