// Entities named by one word only (a surname, a nickname NER mistook for a place) that nobody
// curated: candidates for consolidation into a fuller entity.
MATCH (e:Entity)
WHERE e.type IN $types AND NOT coalesce(e.curated, false) AND size(split(trim(e.name), ' ')) = 1
RETURN e.key AS key, e.type AS type, e.name AS name
ORDER BY e.key
