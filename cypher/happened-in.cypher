// title: What happened in a country
// description: Events, exercises and agreements held in a country (by default Morocco) or in a
//   place inside it, with the places, the date, and the sources (articles and quotes) of the
//   facts that place them there.
// param: country (entity) = "morocco"
// browser: :param country => 'morocco'
MATCH (n)-[h:HELD_IN]->(place)-[:LOCATED_IN*0..3]->(:Country {id: $country})
WITH DISTINCT n, place, h ORDER BY place.name
WITH n, collect(place.name) AS places, collect(h.articles) AS articles, collect(h.quotes) AS quotes
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, n.date AS date, places,
       reduce(acc = [], a IN articles | acc + a) AS articles,
       reduce(acc = [], q IN quotes | acc + q) AS quotes
ORDER BY date, id
