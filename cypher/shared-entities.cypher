// title: Entities that several articles mention
// description: Entities mentioned by at least `min_articles` articles, with those articles.
// param: min_articles (int) = 2
// browser: :param min_articles => 2
MATCH (a:Article)-[:MENTIONS]->(n)
WITH n, a ORDER BY a.id
WITH n, collect(a.id) AS articles
WHERE size(articles) >= $min_articles
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, size(articles) AS count, articles
ORDER BY count DESC, id
