// title: A tour stop by stop
// description: The stages of a tour (by default Mark Esper's Maghreb tour) in date order,
//   with the weekday the articles give, where each stage took place, who was met there and
//   the events within it (speeches, signings). `met` lists the meetings that took place,
//   `to_meet` those only announced. Only stages that took place, by default: give a modality
//   ("planned"...) to see the stages announced instead, or null to see every stage.
// param: tour (entity) = "esper-maghreb-tour"
// param: modality (modality) = "actual"
// browser: :param tour => 'esper-maghreb-tour'
// browser: :param modality => 'actual'
CALL {
  MATCH (tour:Event {id: $tour}) RETURN tour
  UNION
  MATCH (tour:Exercise {id: $tour}) RETURN tour
}
WITH tour
MATCH (stop)-[p:PART_OF]->(tour)
WHERE $modality IS NULL OR p.modality = $modality
OPTIONAL MATCH (stop)-[:HELD_IN]->(place)
WITH stop, p, place ORDER BY place.name
WITH stop, p, collect(place.name) AS places
OPTIONAL MATCH (:Person)-[m:MET {modality: "actual"}]->(b:Person) WHERE m.during = stop.id
WITH stop, p, places, b ORDER BY b.name
WITH stop, p, places, collect(b.name) AS met
OPTIONAL MATCH (:Person)-[m:MET {modality: "planned"}]->(b:Person) WHERE m.during = stop.id
WITH stop, p, places, met, b ORDER BY b.name
WITH stop, p, places, met, collect(b.name) AS to_meet
OPTIONAL MATCH (inner)-[:PART_OF]->(stop)
WITH stop, p, places, met, to_meet, inner ORDER BY inner.name
RETURN stop.id AS stop, stop.name AS name, stop.date AS date, stop.weekday AS weekday,
       p.modality AS modality, places, met, to_meet, collect(inner.name) AS within
ORDER BY date, stop
