// title: The most-cited entities
// description: Entities ranked by how many articles mention them, then by how many facts
//   they take part in. One pass over the articles, each one's mentions made distinct on
//   their own, and one over the facts' relationships (those that leave an entity, not an
//   article: the mentions are skipped unread); every entity is ranked, mentioned or not,
//   and only entities: nodes of the vocabulary's entity labels that carry an id (not the
//   load counter Neo4j holds, nor another application's nodes).
//   Both counts are summed in one number, a mention weighing 2^32 and a fact 1, so that
//   each entity costs the database one running sum: FalkorDB bounds the memory of a
//   query, and a million facts name 437,000 entities. (The sum stays exact below 2^53:
//   up to two million articles. toInteger: FalkorDB's sum() and `/` return floats.)
// param: limit (int) = 10
// browser: :param limit => 10
CALL {
  MATCH (n)
  WHERE n:Person OR n:Country OR n:Organization OR n:Exercise OR n:Event OR n:Agreement
    OR n:Plan OR n:Place
  RETURN n, 0 AS weight
  UNION ALL
  MATCH (a:Article)
  CALL {
    WITH a
    MATCH (a)-[:MENTIONS]->(n)
    RETURN DISTINCT n
  }
  RETURN n, 4294967296 AS weight
  UNION ALL
  MATCH (s)-[r]->(o) WHERE NOT s:Article AND type(r) <> 'MENTIONS'
  UNWIND [s, o] AS n
  RETURN n, 1 AS weight
}
WITH n, sum(weight) AS score
WHERE n.id IS NOT NULL AND (n:Person OR n:Country OR n:Organization OR n:Exercise OR n:Event
  OR n:Agreement OR n:Plan OR n:Place)
WITH n, toInteger(score / 4294967296) AS articles, toInteger(score % 4294967296) AS facts
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, articles, facts
ORDER BY articles DESC, facts DESC, id
LIMIT $limit
