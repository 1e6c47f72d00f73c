// title: What happened in a country
// description: Events, exercises and agreements held in a country (by default Morocco) or in a
//   place inside it, with the place, the date and the quotes.
// param: country (entity) = "morocco"
// browser: :param country => 'morocco'
MATCH (n)-[h:HELD_IN]->(place)-[:LOCATED_IN*0..3]->(:Country {id: $country})
WITH DISTINCT n, place, h ORDER BY place.name
RETURN n.id AS id, n.name AS name, labels(n)[0] AS type, n.date AS date,
       collect(place.name) AS places, collect(h.quotes[0]) AS quotes
ORDER BY date, id
