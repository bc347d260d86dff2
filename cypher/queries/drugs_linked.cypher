// @name drugs_linked
// @description Drugs linked to a person or a gang: directly, and with `through_people` also the
//   drugs of the people directly linked to it (the `via` column names that person).
// @param entity: entity(PERSON, GANG_ORG)   the person or gang: key, name or alias
// @param through_people: bool = false       also drugs linked to the people linked to it
MATCH (x:Entity {key: $entity})
CALL (x) {
  MATCH (x)-[r:RELATED]-(d:Drug)
  RETURN d, null AS via, collect(r) AS links
  UNION
  WITH x WHERE $through_people
  MATCH (x)-[:RELATED]-(p:Person)
  WHERE p <> x
  WITH DISTINCT p
  MATCH (p)-[r:RELATED]-(d:Drug)
  RETURN d, p AS via, collect(r) AS links
}
RETURN d AS drug, via, [l IN links | l.predicate] AS predicates, size(links) AS sentences, links
ORDER BY via IS NOT NULL, sentences DESC, d.name, via.name
