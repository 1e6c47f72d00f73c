// title: Military exercises, their hosts and commands
// description: Each military exercise with the countries that host, organize and take part
//   in it, the command that leads it, how often it recurs, and what became of it.
MATCH (x:Exercise)
OPTIONAL MATCH (host)-[:HOSTED]->(x)
WITH x, host ORDER BY host.name
WITH x, collect(host.name) AS hosts
OPTIONAL MATCH (organizer)-[:ORGANIZED]->(x)
WITH x, hosts, organizer ORDER BY organizer.name
WITH x, hosts, collect(organizer.name) AS organizers
OPTIONAL MATCH (leader)-[:LED]->(x)
WITH x, hosts, organizers, leader ORDER BY leader.name
WITH x, hosts, organizers, collect(leader.name) AS led_by
OPTIONAL MATCH (participant)-[:PARTICIPATED_IN]->(x)
WITH x, hosts, organizers, led_by, participant ORDER BY participant.name
WITH x, hosts, organizers, led_by, collect(participant.name) AS participants
OPTIONAL MATCH (x)-[:PART_OF]->(series:Exercise)
RETURN x.id AS exercise, x.name AS name, hosts, organizers, led_by, participants,
       x.frequency AS frequency, series.name AS edition_of, x.date AS date, x.status AS status
ORDER BY exercise
