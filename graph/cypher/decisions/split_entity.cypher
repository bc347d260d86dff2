// Move the mentions whose surface text is one of $texts (case-insensitive) from $key to a new entity,
// with the relations of the sentences those mentions are in.
MATCH (old:Entity {key: $key})
MERGE (new:Entity {key: $new_key})
ON CREATE SET new.name = $name, new.type = old.type, new.aliases = [], new.aliases_text = $name,
              new.created_at = datetime()
SET new:$(labels(old)), new.curated = true, old.curated = true
WITH old, new
CALL (old, new) {
  MATCH (old)-[m:MENTIONED_IN]->(s:Sentence) WHERE toLower(m.text) IN $texts
  CREATE (new)-[n:MENTIONED_IN]->(s)
  SET n = properties(m), n.source = 'analyst'
  DELETE m
  RETURN collect(DISTINCT s.id) AS moved
}
CALL (old, new, moved) {
  MATCH (old)-[r:RELATED]->(t:Entity) WHERE r.sentence_id IN moved
  CREATE (new)-[n:RELATED]->(t) SET n = properties(r)
  DELETE r
}
CALL (old, new, moved) {
  MATCH (t:Entity)-[r:RELATED]->(old) WHERE r.sentence_id IN moved
  CREATE (t)-[n:RELATED]->(new) SET n = properties(r)
  DELETE r
}
SET old.aliases = [a IN old.aliases WHERE NOT toLower(a) IN $texts]
SET old.aliases_text = reduce(t = old.name, a IN old.aliases | t + ' | ' + a)
RETURN size(moved) AS sentences
