// An analyst decision, kept as data: who, when, why, and what.
MERGE (x:Decision {id: $id})
SET x.kind = $kind, x.who = $who, x.why = $why, x.at = datetime(), x.key = $key, x.into_key = $into_key,
    x.from_keys = $from_keys, x.name = $name, x.texts = $texts
WITH x
UNWIND $linked AS k
MATCH (e:Entity {key: k})
MERGE (x)-[:DECIDED]->(e)
