// title: The evidence behind the links between two entities
// description: Every fact that links two entities directly, in either direction, one row per
//   source: the article and the verbatim quote that state it.
// param: entity (entity) = "mark-esper"
// param: other (entity) = "abdellatif-loudiyi"
// browser: :param entity => 'mark-esper'
// browser: :param other => 'abdellatif-loudiyi'
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
MATCH (a)-[r]-(b)
WHERE type(r) <> 'MENTIONS'
UNWIND range(0, size(r.articles) - 1) AS i
RETURN r.id AS fact, startNode(r).id AS subject, toLower(type(r)) AS predicate,
       endNode(r).id AS object, r.during AS during, r.stated_by AS stated_by,
       r.articles[i] AS article, r.quotes[i] AS quote
ORDER BY fact, article, quote
