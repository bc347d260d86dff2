// @name shared_contacts
// @description Phone numbers and e-mail addresses linked to more than one entity: who shares a
//   contact, and the sentence-level links that tie each of them to it.
// @param min_sharing: int = 2     only contacts linked to at least this many entities
MATCH (c:Entity)-[r:RELATED]-(holder:Entity)
WHERE (c:Phone OR c:Email) AND NOT (holder:Phone OR holder:Email)
WITH c, holder, collect(r) AS links
ORDER BY holder.name
WITH c, collect(holder) AS shared_by, collect(links) AS links, sum(size(links)) AS sentences
WHERE size(shared_by) >= $min_sharing
RETURN c AS contact, c.type AS type, shared_by, sentences, links
ORDER BY size(shared_by) DESC, contact.name
