// title: The most-cited entities
// description: Entities ranked by how many articles mention them, then by how many facts
//   they take part in.
// param: limit (int) = 10
// browser: :param limit => 10
MATCH (n) WHERE NOT n:Article
OPTIONAL MATCH (a:Article)-[:MENTIONS]->(n)
WITH n, count(DISTINCT a) AS articles
OPTIONAL MATCH (n)-[r]-(m) WHERE type(r) <> 'MENTIONS'
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, articles, count(r) AS facts
ORDER BY articles DESC, facts DESC, id
LIMIT $limit
