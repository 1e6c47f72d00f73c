// title: The shortest connections between two entities
// description: Every shortest chain of facts (up to 4 steps, in any direction, article
//   mentions left out) linking two entities, with the entities and predicates along it.
//   Found as the shortest of the bounded variable-length paths rather than with
//   shortestPath(), so that FalkorDB and Neo4j run it unchanged (see kg/dialect.py).
// param: entity (entity) = "kais-saied"
// param: other (entity) = "nasser-bourita"
// browser: :param entity => 'kais-saied'
// browser: :param other => 'nasser-bourita'
CALL {
  MATCH (a:Person {id: $entity}) RETURN a
  UNION
  MATCH (a:Country {id: $entity}) RETURN a
  UNION
  MATCH (a:Organization {id: $entity}) RETURN a
  UNION
  MATCH (a:Exercise {id: $entity}) RETURN a
  UNION
  MATCH (a:Event {id: $entity}) RETURN a
  UNION
  MATCH (a:Agreement {id: $entity}) RETURN a
  UNION
  MATCH (a:Plan {id: $entity}) RETURN a
  UNION
  MATCH (a:Place {id: $entity}) RETURN a
}
WITH a
CALL {
  MATCH (b:Person {id: $other}) RETURN b
  UNION
  MATCH (b:Country {id: $other}) RETURN b
  UNION
  MATCH (b:Organization {id: $other}) RETURN b
  UNION
  MATCH (b:Exercise {id: $other}) RETURN b
  UNION
  MATCH (b:Event {id: $other}) RETURN b
  UNION
  MATCH (b:Agreement {id: $other}) RETURN b
  UNION
  MATCH (b:Plan {id: $other}) RETURN b
  UNION
  MATCH (b:Place {id: $other}) RETURN b
}
WITH a, b
MATCH p = (a)-[*1..4]-(b)
WHERE none(r IN relationships(p) WHERE type(r) = 'MENTIONS')
WITH a, b, min(length(p)) AS hops
MATCH p = (a)-[*1..4]-(b)
WHERE length(p) = hops AND none(r IN relationships(p) WHERE type(r) = 'MENTIONS')
RETURN hops, [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | toLower(type(r))] AS predicates,
       [r IN relationships(p) | r.id] AS facts
ORDER BY ids, predicates, facts
