// title: The evidence behind the links between two entities
// description: Every fact that links two entities directly, in either direction, one row per
//   source: the article and the verbatim quote that state it.
// param: entity (entity) = "mark-esper"
// param: other (entity) = "abdellatif-loudiyi"
MATCH (a {id: $entity})-[r]-(b {id: $other})
WHERE type(r) <> 'MENTIONS'
UNWIND range(0, size(r.articles) - 1) AS i
RETURN r.id AS fact, startNode(r).id AS subject, toLower(type(r)) AS predicate,
       endNode(r).id AS object, r.during AS during, r.stated_by AS stated_by,
       r.articles[i] AS article, r.quotes[i] AS quote
ORDER BY fact, article, quote
