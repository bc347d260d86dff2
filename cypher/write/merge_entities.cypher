// __LABEL__ is replaced by a label from the domain allow-list (graph/domain.toml), never user text.
UNWIND $rows AS row
MERGE (e:Entity {key: row.key})
ON CREATE SET e.name = row.name, e.type = row.type, e.created_at = datetime()
SET e:__LABEL__,
    e.aliases = reduce(acc = coalesce(e.aliases, []), a IN row.aliases |
                       CASE WHEN a IN acc OR a = e.name THEN acc ELSE acc + a END),
    e.kb_id = coalesce(e.kb_id, row.kb_id),
    e.description = coalesce(e.description, row.description)
SET e.aliases_text = reduce(t = e.name, a IN e.aliases | t + ' | ' + a)
