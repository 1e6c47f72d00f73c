// title: Entities that several articles mention
// description: Entities mentioned by at least `min_articles` articles, with those articles.
//   Entity by entity, its articles in id order: the database holds one entity's articles
//   at a time, not a list per entity at once (FalkorDB bounds the memory of a query).
// param: min_articles (int) = 2
// browser: :param min_articles => 2
MATCH (n)
WHERE n:Person OR n:Country OR n:Organization OR n:Exercise OR n:Event OR n:Agreement
  OR n:Plan OR n:Place
CALL {
  WITH n
  MATCH (a:Article)-[:MENTIONS]->(n)
  WITH a ORDER BY a.id
  RETURN collect(a.id) AS articles
}
WITH n, articles
WHERE size(articles) >= $min_articles
WITH n, articles ORDER BY size(articles) DESC, n.id
WITH n, articles
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, size(articles) AS count, articles
