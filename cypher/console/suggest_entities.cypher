// Near misses for a name nobody has (full-text, fuzzy): "did you mean" for entity parameters.
CALL db.index.fulltext.queryNodes('entity_names', $lucene) YIELD node, score
WHERE $types IS NULL OR node.type IN $types
RETURN node.key AS key, node.name AS name, node.type AS type
ORDER BY score DESC
LIMIT 5
