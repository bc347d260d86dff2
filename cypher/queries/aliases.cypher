// @name aliases
// @description Every way an entity is written: its canonical name, its recorded aliases and each
//   surface form it was found as in the documents, with how often.
// @param entity: entity     the entity: key, name or alias
MATCH (e:Entity {key: $entity})
CALL (e) {
  RETURN e.name AS form, 'name' AS kind, 0 AS mentions
  UNION
  UNWIND coalesce(e.aliases, []) AS alias
  RETURN alias AS form, 'alias' AS kind, 0 AS mentions
  UNION
  MATCH (e)-[m:MENTIONED_IN]->(:Sentence)
  RETURN m.text AS form, 'mention' AS kind, count(*) AS mentions
}
WITH form, collect(kind) AS kinds, sum(mentions) AS mentions
RETURN form, kinds, mentions
ORDER BY mentions DESC, form
