// Every entity with its mentions (text, source, sentence, document path): what the quality report
// scores entity resolution and the demo network on.
MATCH (e:Entity)
OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(s:Sentence)-[:IN]->(d:Document)
RETURN e.key AS key, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases,
       collect(CASE WHEN m IS NULL THEN NULL
               ELSE {text: m.text, source: m.source, sentence: s.text, path: d.path} END) AS mentions
ORDER BY key
