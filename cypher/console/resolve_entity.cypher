// The entities a user may mean by $text: its key, or its name or one of its aliases in any case.
// $types: entity types to keep (null: any). Used by the query runner for `entity` parameters.
MATCH (e:Entity)
WHERE (e.key = $text OR toLower(e.name) = toLower($text)
       OR any(a IN coalesce(e.aliases, []) WHERE toLower(a) = toLower($text)))
  AND ($types IS NULL OR e.type IN $types)
RETURN e.key AS key, e.name AS name, e.type AS type, e.key = $text AS by_key
ORDER BY by_key DESC, e.doc_count DESC, e.key
LIMIT 20
