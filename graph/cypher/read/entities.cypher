// Entities by key, for putting known entities (path ends, saved charts) on the chart.
UNWIND $keys AS key
MATCH (e:Entity {key: key})
RETURN e.key AS key, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       coalesce(e.mention_count, 0) AS mention_count, coalesce(e.doc_count, 0) AS doc_count,
       COUNT { (e)-[:RELATED]-() } AS degree
