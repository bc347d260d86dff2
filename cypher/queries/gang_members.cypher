// @name gang_members
// @description People linked to a gang (or to every gang): each person with the predicates that
//   link them and the number of sentences and documents that say so.
// @param gang: entity(GANG_ORG) = null   the gang: key, name or alias (empty: every gang)
// @param min_sentences: int = 1          only people linked by at least this many sentences
MATCH (g:GangOrg)-[r:RELATED]-(p:Person)
WHERE $gang IS NULL OR g.key = $gang
WITH g, p, collect(r) AS links, collect(DISTINCT r.predicate) AS predicates,
     count(DISTINCT r.sentence_id) AS sentences, count(DISTINCT r.doc_id) AS documents
WHERE sentences >= $min_sentences
RETURN g AS gang, p AS person, predicates, sentences, documents, links
ORDER BY g.name, sentences DESC, p.name
