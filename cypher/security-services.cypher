// title: A country's security services and who heads them
// description: The security services that belong to a country (by default Morocco), with
//   the people who hold a position in each and the quotes naming the service.
// param: country (entity) = "morocco"
// browser: :param country => 'morocco'
MATCH (s:Organization {kind: 'security_service'})-[b:BELONGS_TO]->(:Country {id: $country})
OPTIONAL MATCH (head:Person)-[h:HOLDS_POSITION]->(s)
WITH s, b, head, h ORDER BY head.name
RETURN s.id AS service, s.name AS name, s.label_fr AS label_fr,
       collect(head.name) AS heads, collect(h.role) AS roles, b.quotes AS quotes
ORDER BY service
