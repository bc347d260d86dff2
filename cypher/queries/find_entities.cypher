// @name find_entities
// @description Find entities by name or alias (full-text, as in the dashboard's search box):
//   Lucene syntax works, e.g. `mend*` or `mendes~` for a near spelling.
// @param text: string                 what to look for
// @param type: entity_type = null     only entities of this type
// @param limit: int = 20              at most this many rows
CALL db.index.fulltext.queryNodes('entity_names', $text) YIELD node, score
WHERE $type IS NULL OR node.type = $type
RETURN node AS entity, node.key AS key, node.type AS type, coalesce(node.aliases, []) AS aliases,
       node.doc_count AS documents, round(score, 3) AS score
ORDER BY score DESC, node.name
LIMIT $limit
