// title: Who holds which office
// description: People and the offices the articles give them, in an organization or a
//   country, with the quotes.
// param: person (entity) = null
// browser: :param person => null
MATCH (p:Person)-[r:HOLDS_POSITION]->(body)
WHERE $person IS NULL OR p.id = $person
RETURN p.id AS person, p.name AS name, r.role AS role, body.id AS in_id, body.name AS in_name,
       labels(body)[0] AS in_type, r.articles AS articles, r.quotes AS quotes
ORDER BY person, in_id
