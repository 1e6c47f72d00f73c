// title: Entities an article mentions
// description: The entities one article names or that its facts cite, by type, with the
//   article's headline.
// param: article (string) = "004_5699831b890fa017"
// browser: :param article => '004_5699831b890fa017'
MATCH (a:Article {id: $article})-[:MENTIONS]->(n)
RETURN labels(n)[0] AS type, n.id AS id, n.name AS name, a.headline AS headline
ORDER BY type, id
