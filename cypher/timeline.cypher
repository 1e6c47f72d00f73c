// title: Timeline
// description: Dated events, exercises and agreements in date order (dates are ISO strings,
//   YYYY, YYYY-MM or YYYY-MM-DD, as precise as the articles allow), with where they took
//   place and whether the date was deduced rather than read. Give a year to see only it.
//   Only what took place, by default: give a modality ("planned", "cancelled"...) to see
//   that instead, or null to see everything dated.
// param: year (int) = null
// param: modality (modality) = "actual"
// browser: :param year => null
// browser: :param modality => 'actual'
MATCH (n) WHERE (n:Event OR n:Exercise OR n:Agreement) AND n.date IS NOT NULL
  AND ($year IS NULL OR n.date STARTS WITH toString($year))
  AND ($modality IS NULL OR n.date_modality = $modality)
OPTIONAL MATCH (n)-[:HELD_IN]->(place)
WITH n, place ORDER BY place.name
RETURN n.date AS date, n.id AS id, n.name AS name, labels(n)[0] AS type,
       collect(place.name) AS places, n.date_modality AS modality,
       n.date_inferred IS NOT NULL AS inferred,
       n.date_quotes AS quotes
ORDER BY date, id
