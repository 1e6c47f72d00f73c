// title: Facts per article
// description: For each article, its headline, how many facts cite it (relationships and
//   literal facts such as dates) and how many entities it mentions. (toInteger: FalkorDB's
//   sum() returns a float, see kg/dialect.py.)
MATCH (a:Article)
OPTIONAL MATCH ()-[r]->() WHERE type(r) <> 'MENTIONS' AND a.id IN r.articles
WITH a, count(r) AS relationship_facts
OPTIONAL MATCH (n) WHERE NOT n:Article
WITH a, relationship_facts,
     toInteger(sum(size([k IN keys(n) WHERE k ENDS WITH '_articles' AND a.id IN n[k]])))
       AS literal_facts
OPTIONAL MATCH (a)-[:MENTIONS]->(e)
RETURN a.id AS article, a.headline AS headline, relationship_facts + literal_facts AS facts,
       relationship_facts, literal_facts, count(e) AS entities
ORDER BY article
