// As-you-type search on names and aliases (full-text index `entity_names`). $query is a Lucene
// query built by graph.read.lucene_query (escaped user text, prefix on the last word); $types
// filters after the index lookup, so $fetch is larger than $limit.
CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: $fetch}) YIELD node, score
WHERE $types IS NULL OR node.type IN $types
WITH node AS e, score
ORDER BY score DESC, coalesce(e.mention_count, 0) DESC, e.name
LIMIT $limit
RETURN e.key AS key, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       coalesce(e.mention_count, 0) AS mention_count, coalesce(e.doc_count, 0) AS doc_count,
       COUNT { (e)-[:RELATED]-() } AS degree, score
