// title: Who chaired or co-chaired an event
// description: The people, countries and bodies that chaired or co-chaired an event (by
//   default the 4th session of the Morocco–US Strategic Dialogue), in the role the articles
//   give them, with the quotes. Only who actually chaired, by default: give a modality
//   ("planned"...) to see who was to chair instead, or null to see both.
// param: event (entity) = "strategic-dialogue-session-4"
// param: modality (modality) = "actual"
// browser: :param event => 'strategic-dialogue-session-4'
// browser: :param modality => 'actual'
CALL {
  MATCH (e:Event {id: $event}) RETURN e
  UNION
  MATCH (e:Exercise {id: $event}) RETURN e
}
WITH e
MATCH (chair)-[r:CHAIRED|CO_CHAIRED]->(e)
WHERE $modality IS NULL OR r.modality = $modality
RETURN chair.id AS chair, chair.name AS name, labels(chair)[0] AS type,
       toLower(type(r)) AS how, r.role AS role, r.modality AS modality, r.articles AS articles, r.quotes AS quotes
ORDER BY chair
