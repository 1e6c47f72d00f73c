// title: The most-cited entities
// description: Entities ranked by how many articles mention them, then by how many facts
//   they take part in. One pass over the mentions and one over the facts' relationships
//   (those that leave an entity, not an article: the mentions are skipped unread), counted
//   per entity. Every entity is ranked, mentioned or not, and only entities: nodes of the
//   vocabulary's entity labels that carry an id (not the load counter Neo4j holds, nor
//   another application's nodes).
//   (toInteger: FalkorDB's sum() returns a float, see kg/cypher.py.)
// param: limit (int) = 10
// browser: :param limit => 10
CALL {
  MATCH (n)
  WHERE n:Person OR n:Country OR n:Organization OR n:Exercise OR n:Event OR n:Agreement
    OR n:Plan OR n:Place
  RETURN n, 0 AS mention, 0 AS fact
  UNION ALL
  MATCH (a:Article)-[:MENTIONS]->(n)
  WITH DISTINCT a, n
  RETURN n, 1 AS mention, 0 AS fact
  UNION ALL
  MATCH (s)-[r]->(o) WHERE NOT s:Article AND type(r) <> 'MENTIONS'
  UNWIND [s, o] AS n
  RETURN n, 0 AS mention, 1 AS fact
}
WITH n, toInteger(sum(mention)) AS articles, toInteger(sum(fact)) AS facts
WHERE n.id IS NOT NULL AND (n:Person OR n:Country OR n:Organization OR n:Exercise OR n:Event
  OR n:Agreement OR n:Plan OR n:Place)
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, articles, facts
ORDER BY articles DESC, facts DESC, id
LIMIT $limit
