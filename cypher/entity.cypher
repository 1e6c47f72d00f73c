// title: Everything about one entity
// description: Every fact about an entity, one row each: its relationships in and out (with
//   their qualifiers and quotes) and its literal facts (dates, durations, scope...).
// param: entity (entity) = "mark-esper"
// browser: :param entity => 'mark-esper'
CALL {
  MATCH (n:Person {id: $entity}) RETURN n
  UNION
  MATCH (n:Country {id: $entity}) RETURN n
  UNION
  MATCH (n:Organization {id: $entity}) RETURN n
  UNION
  MATCH (n:Exercise {id: $entity}) RETURN n
  UNION
  MATCH (n:Event {id: $entity}) RETURN n
  UNION
  MATCH (n:Agreement {id: $entity}) RETURN n
  UNION
  MATCH (n:Plan {id: $entity}) RETURN n
  UNION
  MATCH (n:Place {id: $entity}) RETURN n
}
WITH n
CALL {
  WITH n
  MATCH (n)-[r]-(m)
  WHERE type(r) <> 'MENTIONS'
  RETURN r.id AS fact, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction,
         toLower(type(r)) AS predicate, m.id AS other, m.name AS other_name, null AS value,
         r.during AS during, r.role AS role, r.stated_by AS stated_by,
         r.articles AS articles, r.quotes AS quotes
  UNION ALL
  WITH n
  UNWIND [k IN keys(n) WHERE k ENDS WITH '_fact' | substring(k, 0, size(k) - 5)] AS p
  RETURN n[p + '_fact'] AS fact, 'out' AS direction, p AS predicate, null AS other,
         null AS other_name, n[p] AS value, null AS during, null AS role, null AS stated_by,
         n[p + '_articles'] AS articles, n[p + '_quotes'] AS quotes
}
RETURN fact, direction, predicate, other, other_name, value, during, role, stated_by,
       articles, quotes
ORDER BY predicate, fact
