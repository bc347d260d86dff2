// @name documents_mentioning_both
// @description Documents that mention both entities, with how often each is mentioned there and
//   the sentences that name both.
// @param a: entity     one entity: key, name or alias
// @param b: entity     the other entity: key, name or alias
MATCH (x:Entity {key: $a})-[:MENTIONED_IN]->(:Sentence)-[:IN]->(d:Document)
WITH x, d, count(*) AS a_mentions
MATCH (y:Entity {key: $b})-[:MENTIONED_IN]->(:Sentence)-[:IN]->(d)
WITH x, y, d, a_mentions, count(*) AS b_mentions
OPTIONAL MATCH (x)-[:MENTIONED_IN]->(s:Sentence)<-[:MENTIONED_IN]-(y)
WHERE s.doc_id = d.id
WITH d, a_mentions, b_mentions, s
ORDER BY s.idx
WITH d, a_mentions, b_mentions, collect(DISTINCT s.text) AS together
RETURN d AS document, d.path AS path, a_mentions, b_mentions, together
ORDER BY size(together) DESC, a_mentions + b_mentions DESC, path
