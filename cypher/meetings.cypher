// title: Who met whom, where and when
// description: Every meeting between two people, with the event it took place in, where
//   and when that event was held, and the sources. Give a person to see only their meetings;
//   null lists them all. Only meetings that took place, by default: give a modality
//   ("planned"...) to see those instead, or null to see every one.
// param: person (entity) = null
// param: modality (modality) = "actual"
// browser: :param person => null
// browser: :param modality => 'actual'
MATCH (a:Person)-[r:MET]->(b:Person)
WHERE ($person IS NULL OR $person IN [a.id, b.id])
  AND ($modality IS NULL OR r.modality = $modality)
OPTIONAL MATCH (e:Event {id: r.during})
OPTIONAL MATCH (e)-[:HELD_IN]->(place)
WITH a, b, r, e, place ORDER BY place.name
WITH a, b, r, e, collect(place.name) AS places
RETURN a.id AS person, a.name AS person_name, b.id AS other, b.name AS other_name,
       e.id AS event, e.name AS event_name, places, e.date AS date,
       r.modality AS modality, r.stated_by AS stated_by, r.articles AS articles, r.quotes AS quotes
ORDER BY date, person, other
