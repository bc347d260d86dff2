// Merge $from_keys into $into_key: mentions and relations move, names become aliases, sources go.
// $curated: an analyst's merge marks the survivor curated; automatic consolidation does not.
MATCH (keep:Entity {key: $into_key})
UNWIND $from_keys AS fk
MATCH (o:Entity {key: fk})
CALL (keep, o) {
  MATCH (o)-[m:MENTIONED_IN]->(s:Sentence)
  CREATE (keep)-[n:MENTIONED_IN]->(s)
  SET n = properties(m)
  DELETE m
}
CALL (keep, o) {
  MATCH (o)-[r:RELATED]->(t:Entity) WHERE t <> keep
  CREATE (keep)-[n:RELATED]->(t)
  SET n = properties(r)
}
CALL (keep, o) {
  MATCH (t:Entity)-[r:RELATED]->(o) WHERE t <> keep
  CREATE (t)-[n:RELATED]->(keep)
  SET n = properties(r)
}
WITH keep, o, [a IN [o.name] + coalesce(o.aliases, []) WHERE a <> keep.name AND NOT a IN keep.aliases] AS new
SET keep.aliases = keep.aliases + new,
    keep.aliases_text = reduce(t = keep.aliases_text, a IN new | t + ' | ' + a),
    keep.kb_id = coalesce(keep.kb_id, o.kb_id),
    keep.description = coalesce(keep.description, o.description),
    keep.curated = coalesce(keep.curated, false) OR $curated
DETACH DELETE o
RETURN count(*) AS merged
