// title: Armed groups and who acts against them
// description: The armed groups the articles name, who fights them (and on whose word), and
//   what they are said to threaten.
MATCH (g:Organization {kind: 'armed_group'})
OPTIONAL MATCH (opponent)-[:FIGHTS]->(g)
WITH g, opponent ORDER BY opponent.name
WITH g, collect(DISTINCT opponent.name) AS fought_by
OPTIONAL MATCH (g)-[:THREATENS]->(target)
WITH g, fought_by, target ORDER BY target.name
RETURN g.id AS group, g.name AS name, fought_by, collect(DISTINCT target.name) AS threatens
ORDER BY group
