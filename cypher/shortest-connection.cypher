// title: The shortest connections between two entities
// description: Every shortest chain of facts (up to 4 steps, in any direction, article
//   mentions left out) linking two entities, with the entities and predicates along it.
//   allShortestPaths() over the relationship types of facts (listed in the pattern: FalkorDB
//   filters a WHERE on the path only after its search, see kg/cypher.py), so its cost is a
//   breadth-first search, not every path of up to 4 steps. An entity with itself: no rows.
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
WHERE a <> b
MATCH p = allShortestPaths((a)-[:CHAIRED|CO_CHAIRED|PARTICIPATED_IN|ATTENDED|HOSTED|ORGANIZED|LED|
  CANCELLED_BECAUSE_OF|PROPOSED|ANNOUNCED|MET|VISITED|SPOKE_AT|DISCUSSED|HOLDS_POSITION|NATIONALITY|
  ADVISES|CHILD_OF|AMBASSADOR_TO|CORRESPONDENT_IN|SIGNED|PARTY_TO|PART_OF|BELONGS_TO|MEMBER_OF|
  HELD_IN|LOCATED_IN|COOPERATES_WITH|FIGHTS|THREATENS|SUPPORTS|RELIES_ON|STABILISES|
  SUPPLIES_ARMS_TO|PRAISED*..4]-(b))
RETURN length(p) AS hops, [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names,
       [r IN relationships(p) | toLower(type(r))] AS predicates,
       [r IN relationships(p) | r.id] AS facts
ORDER BY ids, predicates, facts
