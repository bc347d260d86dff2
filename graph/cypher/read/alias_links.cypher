// "X, also known as Y" across documents: Y's node is the same entity as X's.
MATCH (a:Entity)-[:RELATED {predicate: 'alias_of'}]->(b:Entity)
WHERE a.type = b.type
RETURN DISTINCT a.key AS alias_key, b.key AS key
