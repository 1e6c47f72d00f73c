// title: What someone is reported to have said
// description: The facts that rest on one speaker's word (reported speech, praise, opinions):
//   by default Antony Blinken's.
// param: speaker (entity) = "antony-blinken"
// browser: :param speaker => 'antony-blinken'
MATCH (s)-[r]->(o)
WHERE NOT s:Article AND r.stated_by = $speaker
RETURN r.id AS fact, s.name AS subject, toLower(type(r)) AS predicate, o.name AS object,
       r.role AS role, r.during AS during, r.articles AS articles, r.quotes AS quotes
ORDER BY fact
