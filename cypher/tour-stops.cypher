// title: A tour stop by stop
// description: The stages of a tour (by default Mark Esper's Maghreb tour) in date order,
//   with the weekday the articles give, where each stage took place, who was met there and
//   the events within it (speeches, signings).
// param: tour (entity) = "esper-maghreb-tour"
MATCH (stop)-[:PART_OF]->(tour {id: $tour})
OPTIONAL MATCH (stop)-[:HELD_IN]->(place)
WITH stop, place ORDER BY place.name
WITH stop, collect(place.name) AS places
OPTIONAL MATCH (a:Person)-[m:MET]->(b:Person) WHERE m.during = stop.id
WITH stop, places, b ORDER BY b.name
WITH stop, places, collect(b.name) AS met
OPTIONAL MATCH (inner)-[:PART_OF]->(stop)
WITH stop, places, met, inner ORDER BY inner.name
RETURN stop.id AS stop, stop.name AS name, stop.date AS date, stop.weekday AS weekday,
       places, met, collect(inner.name) AS within
ORDER BY date, stop
