// One row per entity of the batch. row.label is checked against the domain allow-list
// (graph/domain.toml) before it gets here; a dynamic label keeps this one statement (one query
// plan) for every entity type.
// An existing entity is only written to when a row brings something new: most rows of a large
// ingest name entities the graph already has, and untouched nodes cost no locks or log.
// The element ids returned let the mention and relation statements of the same transaction reach
// these nodes directly, without a second index lookup per row.
UNWIND $rows AS row
MERGE (e:Entity {key: row.key})
ON CREATE SET e:$(row.label), e.name = row.name, e.type = row.type, e.created_at = datetime(),
              e.aliases = row.aliases, e.kb_id = row.kb_id, e.description = row.description,
              e.aliases_text = reduce(t = row.name, a IN row.aliases | t + ' | ' + a)
WITH e, row, [a IN row.aliases WHERE NOT a IN e.aliases AND a <> e.name] AS new
FOREACH (_ IN CASE WHEN size(new) > 0 THEN [1] ELSE [] END |
  SET e.aliases = e.aliases + new, e.aliases_text = reduce(t = e.aliases_text, a IN new | t + ' | ' + a))
FOREACH (_ IN CASE WHEN e.kb_id IS NULL AND row.kb_id IS NOT NULL THEN [1] ELSE [] END |
  SET e.kb_id = row.kb_id)
FOREACH (_ IN CASE WHEN e.description IS NULL AND row.description IS NOT NULL THEN [1] ELSE [] END |
  SET e.description = row.description)
RETURN row.key AS key, elementId(e) AS id
