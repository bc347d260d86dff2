// Lookups by document (replacement of a changed file), path, type and predicate.
CREATE INDEX sentence_doc_id IF NOT EXISTS FOR (s:Sentence) ON (s.doc_id);
CREATE INDEX document_path IF NOT EXISTS FOR (d:Document) ON (d.path);
CREATE INDEX document_status IF NOT EXISTS FOR (d:Document) ON (d.status);
CREATE INDEX entity_type IF NOT EXISTS FOR (e:Entity) ON (e.type);
CREATE INDEX entity_kb_id IF NOT EXISTS FOR (e:Entity) ON (e.kb_id);
CREATE INDEX related_doc_id IF NOT EXISTS FOR ()-[r:RELATED]-() ON (r.doc_id);
CREATE INDEX related_sentence_id IF NOT EXISTS FOR ()-[r:RELATED]-() ON (r.sentence_id);
CREATE INDEX related_predicate IF NOT EXISTS FOR ()-[r:RELATED]-() ON (r.predicate);
// Search by name or alias, as-you-type.
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases_text];
