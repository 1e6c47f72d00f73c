// title: Facts per article
// description: For each article, its headline, how many facts cite it (relationships and
//   literal facts such as dates) and how many entities it mentions. One pass over the
//   facts' relationships (those that leave an entity, not an article: the mentions are
//   skipped unread), one over the entities and one over the articles, summed per article.
//   (toInteger: FalkorDB's sum() returns a float, see kg/cypher.py.)
CALL {
  MATCH (s)-[r]->() WHERE NOT s:Article AND type(r) <> 'MENTIONS'
  UNWIND r.articles AS article
  WITH DISTINCT r, article
  RETURN article, 1 AS relationship_fact, 0 AS literal_fact, 0 AS entities
  UNION ALL
  MATCH (n) WHERE NOT n:Article
  UNWIND [k IN keys(n) WHERE k ENDS WITH '_articles'] AS key
  UNWIND n[key] AS article
  WITH DISTINCT n, key, article
  RETURN article, 0 AS relationship_fact, 1 AS literal_fact, 0 AS entities
  UNION ALL
  MATCH (a:Article)
  OPTIONAL MATCH (a)-[:MENTIONS]->(e)
  RETURN a.id AS article, 0 AS relationship_fact, 0 AS literal_fact, count(e) AS entities
}
WITH article, toInteger(sum(relationship_fact)) AS relationship_facts,
     toInteger(sum(literal_fact)) AS literal_facts, toInteger(sum(entities)) AS entities
MATCH (a:Article {id: article})
RETURN a.id AS article, a.headline AS headline, relationship_facts + literal_facts AS facts,
       relationship_facts, literal_facts, entities
ORDER BY article
