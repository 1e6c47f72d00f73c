// title: Agreements, their signatories and parties
// description: Each agreement with who signed it, the parties it binds, where and when it
//   was signed, how long it runs and what it covers.
MATCH (a:Agreement)
OPTIONAL MATCH (signatory)-[:SIGNED]->(a)
WITH a, signatory ORDER BY signatory.name
WITH a, collect(signatory.name) AS signatories
OPTIONAL MATCH (party)-[:PARTY_TO]->(a)
WITH a, signatories, party ORDER BY party.name
WITH a, signatories, collect(party.name) AS parties
OPTIONAL MATCH (a)-[:HELD_IN]->(place)
WITH a, signatories, parties, place ORDER BY place.name
RETURN a.id AS agreement, a.name AS name, signatories, parties,
       collect(place.name) AS signed_in, a.date AS date, a.duration_years AS duration_years,
       a.scope AS scope
ORDER BY agreement
