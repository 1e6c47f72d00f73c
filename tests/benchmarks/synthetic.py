"""Synthetic seeds shaped like the real ones, at any number of facts, for the scale benchmark.

`write_seeds(directory, facts)` writes a complete seeds folder (articles with their metadata
and SHA256SUMS, entities, facts) that `kg validate` accepts. The shape follows the curated
seeds: entity types and kinds in the real proportions (22 people, 18 places, 18 events, 17
organizations, 7 countries, 4 agreements, 4 exercises in 90), about 2.3 facts per entity and
40 per article, predicates in the real mix (held_in, praised, date, discussed, ...), 30% of
facts with two sources, qualifiers (during, role, stated_by, when, inferred, note) at the real
rates, a modality on every fact, literal dates, weekdays, scopes and durations. Every alias
and title occurs in an article, every quote is a verbatim piece of its article's text, and
each article has a headline line, a publication date, a boilerplate line and skipped
sentences. Names are made of syllables (`Karim Valoruti`), so aliases never collide.

The output depends only on `facts` (a fixed random seed), so a folder can be kept and reused.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg import vocab

# The real seeds: 90 entities by (type, kind), 206 facts by predicate.
TYPE_KINDS: dict[tuple[str, str | None], int] = {
    ("Person", None): 22,
    ("Place", "city"): 8,
    ("Place", "region"): 7,
    ("Place", "building"): 2,
    ("Place", "site"): 1,
    ("Event", "meeting"): 5,
    ("Event", "visit"): 4,
    ("Event", "statement"): 2,
    ("Event", "dialogue_session"): 2,
    ("Event", "tour"): 1,
    ("Event", "speech"): 1,
    ("Event", "talks"): 1,
    ("Event", "summit"): 1,
    ("Event", "publication"): 1,
    ("Organization", "security_service"): 4,
    ("Organization", "armed_group"): 3,
    ("Organization", "ministry"): 2,
    ("Organization", "working_group"): 2,
    ("Organization", "political_faction"): 2,
    ("Organization", "military_command"): 1,
    ("Organization", "media"): 1,
    ("Organization", "coalition"): 1,
    ("Organization", "forum"): 1,
    ("Country", None): 7,
    ("Agreement", None): 4,
    ("Exercise", None): 4,
}
PREDICATE_COUNTS: dict[str, int] = {
    "held_in": 19,
    "praised": 15,
    "date": 15,
    "discussed": 13,
    "holds_position": 13,
    "participated_in": 12,
    "met": 11,
    "cooperates_with": 11,
    "part_of": 10,
    "party_to": 9,
    "located_in": 8,
    "belongs_to": 7,
    "visited": 6,
    "weekday": 5,
    "fights": 5,
    "led": 5,
    "threatens": 4,
    "attended": 3,
    "advises": 3,
    "supports": 3,
    "signed": 3,
    "co_chaired": 2,
    "member_of": 2,
    "nationality": 2,
    "hosted": 2,
    "organized": 2,
    "status": 2,
    "announced": 2,
    "spoke_at": 2,
    "scope": 2,
    "ambassador_to": 1,
    "correspondent_in": 1,
    "child_of": 1,
    "frequency": 1,
    "founded": 1,
    "chaired": 1,
    "duration_years": 1,
    "supplies_arms_to": 1,
}
ENTITIES_PER_FACT = 90 / 206
FACTS_PER_ARTICLE = 40
TWO_SOURCES = 0.30
QUALIFIER_RATES = {"during": 0.25, "stated_by": 0.2, "role": 0.2, "inferred": 0.15, "note": 0.29}
WHEN_RATE = 0.02
MODALITY_WEIGHTS = {
    "actual": 80,
    "planned": 8,
    "recurring": 4,
    "possible": 4,
    "negated": 2,
    "cancelled": 2,
}
LOCAL = 0.8  # share of fact ends taken among the entities of the fact's own article
HUBS = 0.01  # the others come from the first 1% of each type: a few entities cited everywhere

SYLLABLES = "ba ke lo mi nu ra si to ve da zu go li ma pe tu".split()
FIRST_NAMES = "Karim Nadia Mark Leila Omar Sarah Youssef Anne Hassan Laura Driss Emma".split()
MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
JOURS = "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
FILE_NAMES = {
    "Person": "people",
    "Place": "places",
    "Event": "events",
    "Organization": "organizations",
    "Country": "countries",
    "Agreement": "agreements",
    "Exercise": "exercises",
}
ORG_PREFIX = {
    "security_service": "Direction",
    "armed_group": "Front",
    "ministry": "Ministère",
    "working_group": "Groupe de travail",
    "political_faction": "Parti",
    "military_command": "Commandement",
    "media": "Agence",
    "coalition": "Coalition",
    "forum": "Forum",
}
EVENT_PREFIX = {
    "meeting": "Réunion de",
    "visit": "Visite à",
    "statement": "Déclaration de",
    "dialogue_session": "Session du dialogue de",
    "tour": "Tournée de",
    "speech": "Discours de",
    "talks": "Pourparlers de",
    "summit": "Sommet de",
    "publication": "Publication du rapport de",
}
VERBS = {
    "held_in": "s’est tenu à",
    "praised": "a salué",
    "discussed": "a évoqué avec",
    "holds_position": "occupe un poste au sein de",
    "participated_in": "a pris part à",
    "met": "a rencontré",
    "cooperates_with": "coopère avec",
    "part_of": "fait partie de",
    "party_to": "est partie à",
    "located_in": "se trouve dans",
    "belongs_to": "relève de",
    "visited": "s’est rendu à",
    "fights": "combat",
    "led": "a dirigé",
    "threatens": "menace",
    "attended": "a assisté à",
    "advises": "conseille",
    "supports": "soutient",
    "signed": "a signé",
    "co_chaired": "a coprésidé",
    "member_of": "est membre de",
    "nationality": "a la nationalité de",
    "hosted": "a accueilli",
    "organized": "a organisé",
    "announced": "a annoncé",
    "spoke_at": "a pris la parole à",
    "ambassador_to": "est ambassadeur auprès de",
    "correspondent_in": "est correspondant à",
    "child_of": "est l’enfant de",
    "chaired": "a présidé",
    "supplies_arms_to": "fournit des armes à",
}
LITERAL_VALUES = {
    "scope": "la coopération militaire, la formation et le renseignement",
    "frequency": "chaque année",
    "status": "annulé en raison de la pandémie",
    "duration_years": 10,
}


def token(number: int) -> str:
    """A unique capitalised word for `number`, three syllables at least: Bakelo, Kebalomi..."""
    digits = []
    while True:
        number, digit = divmod(number, len(SYLLABLES))
        digits.append(SYLLABLES[digit])
        if number == 0 and len(digits) >= 3:
            break
    return "".join(digits).capitalize()


@dataclass
class SynthEntity:
    number: int
    type: str
    kind: str | None
    id: str
    name: str
    aliases: list[str]
    titles: list[str] = field(default_factory=list)
    home: int = 0  # the article that introduces it
    shown: int = 0  # how many times a sentence has named it (rotates its aliases)
    used: set[str] = field(default_factory=set)  # aliases written in some sentence


def _pattern(weights: dict, rng: random.Random) -> list:
    """The keys of `weights`, each repeated by its weight, shuffled: one cycle of the mix."""
    items = [key for key, count in weights.items() for _ in range(count)]
    rng.shuffle(items)
    return items


def _entity(number: int, type_: str, kind: str | None, rng: random.Random) -> SynthEntity:
    word = token(number)
    slug = f"{type_.lower()}-{word.lower()}"
    titles: list[str] = []
    if type_ == "Person":
        name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {word}"
        aliases = (
            [name]
            + ([word] if number % 2 == 0 else [])
            + ([f"M. {word}"] if number % 7 == 0 else [])
        )
        if rng.random() < 0.2:
            titles = [f"conseiller chargé du dossier {word}"]
    elif type_ == "Country":
        name = f"{word}a"
        aliases = [name] + ([f"Royaume de {name}"] if number % 6 == 0 else [])
    elif type_ == "Organization":
        name = f"{ORG_PREFIX.get(kind or '', 'Organisation')} {word}"
        aliases = [name] + ([word.upper()] if number % 3 == 0 else [])
    elif type_ == "Event":
        name = f"{EVENT_PREFIX.get(kind or '', 'Événement de')} {word}"
        aliases = [name] if number % 10 < 7 else []
    elif type_ == "Exercise":
        name = f"{word} Lion"
        aliases = [name]
    elif type_ == "Agreement":
        name = f"Accord {word}"
        aliases = [name] if number % 2 == 0 else []
    else:  # Place
        name = word if kind == "city" else f"{kind or 'lieu'} {word}"
        aliases = [name]
    return SynthEntity(number, type_, kind, slug, name, aliases, titles)


def _date(rng: random.Random) -> tuple[str, str]:
    """(ISO value, French words) of a day, month or year between 2019 and 2022."""
    year, month, day = rng.randint(2019, 2022), rng.randint(1, 12), rng.randint(1, 28)
    roll = rng.random()
    if roll < 0.7:
        return f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year}"
    if roll < 0.9:
        return f"{year}-{month:02d}", f"{MONTHS[month - 1]} {year}"
    return f"{year}", f"en {year}"


def _q(value: object) -> str:
    """A YAML scalar: JSON's double-quoted strings are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


class _Generator:
    def __init__(self, facts: int) -> None:
        self.rng = random.Random(20201002)
        self.fact_count = facts
        self.article_count = max(1, round(facts / FACTS_PER_ARTICLE))
        entity_count = max(len(TYPE_KINDS), round(facts * ENTITIES_PER_FACT))
        cycle = _pattern(TYPE_KINDS, self.rng)
        self.entities = [_entity(n, *cycle[n % len(cycle)], self.rng) for n in range(entity_count)]
        self.by_type: dict[str, list[int]] = defaultdict(list)
        for entity in self.entities:
            entity.home = entity.number * self.article_count // entity_count
            self.by_type[entity.type].append(entity.number)
        self.sentences: list[list[str]] = [[] for _ in range(self.article_count)]
        self.skipped: list[list[str]] = [[] for _ in range(self.article_count)]
        self.literal_done: set[tuple[int, str]] = set()
        self.keys: set[tuple] = set()

    # --- choosing entities ----------------------------------------------------------------

    def _pick(self, types: tuple[str, ...], article: int, avoid: int = -1) -> SynthEntity | None:
        """An entity of one of `types`: mostly one the article introduces, else a hub."""
        rng = self.rng
        for _ in range(8):
            numbers = self.by_type[rng.choice(types)]
            if not numbers:
                continue
            if rng.random() < LOCAL:
                lo = bisect.bisect_left(numbers, self._first_of(article))
                hi = bisect.bisect_left(numbers, self._first_of(article + 1))
                if lo == hi:
                    continue
                number = numbers[rng.randrange(lo, hi)]
            else:
                number = numbers[rng.randrange(max(1, int(len(numbers) * HUBS)))]
            if number != avoid:
                return self.entities[number]
        return None

    def _first_of(self, article: int) -> int:
        """The first entity number whose home is `article` (homes are contiguous ranges)."""
        count = len(self.entities)
        return -(-article * count // self.article_count)

    def _show(self, entity: SynthEntity) -> str:
        """How a sentence names `entity`: its aliases in turn, or its name if it has none."""
        if not entity.aliases:
            return entity.name
        alias = entity.aliases[entity.shown % len(entity.aliases)]
        entity.shown += 1
        entity.used.add(alias)
        return alias

    # --- facts ----------------------------------------------------------------------------

    def facts(self) -> list[str]:
        """Every fact as a YAML item (a block of lines), in generation order."""
        predicates = _pattern(PREDICATE_COUNTS, self.rng)
        out = []
        number = 0
        attempt = 0
        while number < self.fact_count:
            name = predicates[attempt % len(predicates)]
            attempt += 1
            article = number * self.article_count // self.fact_count
            block = self._fact(number, vocab.PREDICATES[name], article)
            if block is not None:
                out.append(block)
                number += 1
        return out

    def _fact(self, number: int, predicate: vocab.Predicate, article: int) -> str | None:
        rng = self.rng
        subject = self._pick(predicate.domain, article)
        if subject is None:
            return None
        lines = [f"- id: f{number}-{predicate.name.replace('_', '-')}"]
        lines.append(f"  subject: {subject.id}")
        lines.append(f"  predicate: {predicate.name}")
        if predicate.is_literal:
            if (subject.number, predicate.name) in self.literal_done:
                return None
            self.literal_done.add((subject.number, predicate.name))
            value, words = self._literal(predicate.name)
            lines.append(f"  value: {_q(value)}")
            sentence = f"{self._show(subject)} {words}"
        else:
            other = self._pick(predicate.range, article, avoid=subject.number)
            if other is None:
                return None
            ends = (subject.number, other.number)
            key = (predicate.name, *(sorted(ends) if predicate.symmetric else ends))
            if key in self.keys:
                return None
            self.keys.add(key)
            lines.append(f"  object: {other.id}")
            sentence = f"{self._show(subject)} {VERBS[predicate.name]} {self._show(other)}"
        modality = rng.choices(list(MODALITY_WEIGHTS), list(MODALITY_WEIGHTS.values()))[0]
        lines.append(f"  modality: {modality}")
        if rng.random() < QUALIFIER_RATES["during"]:
            event = self._pick(vocab.HAPPENINGS, article, avoid=subject.number)
            if event is not None:
                lines.append(f"  during: {event.id}")
        if rng.random() < QUALIFIER_RATES["role"]:
            lines.append('  role: "ministre des Affaires étrangères"')
        if rng.random() < QUALIFIER_RATES["stated_by"]:
            speaker = self._pick((vocab.PERSON,), article)
            if speaker is not None:
                lines.append(f"  stated_by: {speaker.id}")
        if rng.random() < WHEN_RATE:
            lines.append(f"  when: {_q(_date(rng)[0])}")
        if rng.random() < QUALIFIER_RATES["inferred"]:
            lines.append('  inferred: "The year is not written; deduced from the context."')
        if rng.random() < QUALIFIER_RATES["note"]:
            lines.append('  note: "A curator\'s note on how the article words it."')
        lines.append("  sources:")
        articles = [article]
        if self.article_count > 1 and rng.random() < TWO_SOURCES:
            articles.append((article + 1 + rng.randrange(5)) % self.article_count)
            if articles[1] == article:
                articles.pop()
        for target in articles:
            # The quote is the clause; the sentence around it is the article's wording.
            self.sentences[target].append(
                f"Selon une source officielle, {sentence}, a-t-on appris de bonne source."
            )
            lines.append(f"    - article: {{{target}}}")
            lines.append(f"      quote: {_q(sentence)}")
        return "\n".join(lines)

    def _literal(self, name: str) -> tuple[object, str]:
        if name in ("date", "founded"):
            value, words = _date(self.rng)
            return value, ("a eu lieu " if name == "date" else "a été fondé ") + (
                words if words.startswith("en ") else f"le {words}"
            )
        if name == "weekday":
            day = self.rng.randrange(7)
            return WEEKDAYS[day], f"s’est déroulé un {JOURS[day]}"
        value = LITERAL_VALUES[name]
        if name == "duration_years":
            return value, f"court sur {value} ans"
        return value, f"porte la mention « {value} »"

    # --- articles -------------------------------------------------------------------------

    def presentations(self) -> None:
        """A sentence for each alias or title no fact's sentence wrote, skipped as a mention."""
        for entity in self.entities:
            missing = [a for a in entity.aliases if a not in entity.used] + entity.titles
            for text in missing:
                sentence = f"Le nom de {text} revient aussi dans les échanges."
                self.sentences[entity.home].append(sentence)
                self.skipped[entity.home].append(sentence)

    def article_files(self, folder: Path) -> dict[int, str]:
        """Write each article and its metadata; return article number -> id."""
        rng = self.rng
        ids: dict[int, str] = {}
        sums = []
        for number in range(self.article_count):
            value, words = _date(rng)
            headline = f"Dépêche numéro {number} sur la coopération sécuritaire"
            body = self.sentences[number]
            paragraphs = [" ".join(body[i : i + 4]) for i in range(0, len(body), 4)]
            text = "\n".join(
                [headline, f"Publié {words}", "Lire aussi : nos autres dépêches", *paragraphs]
            )
            raw = (text + "\n").encode("utf-8")
            digest = hashlib.sha256(raw).hexdigest()
            article_id = f"{number % 1000:03d}_{digest[:16]}"  # NNN_: three digits
            ids[number] = article_id
            (folder / f"{article_id}.txt").write_bytes(raw)
            sums.append(f"{digest}  {article_id}.txt\n")
            meta = [
                f"headline: {_q(headline)}",
                "headline_line: 1",
                "outlet: null",
                "languages: [fr]",
                "dates:",
                f"  - value: {_q(value)}",
                f"    text: {_q(words)}",
                '    about: "publication"',
                "boilerplate:",
                "  - line: 3",
                "    reason: navigation",
                "skipped:" if self.skipped[number] else "skipped: []",
            ]
            for sentence in self.skipped[number]:
                meta += [f"  - quote: {_q(sentence)}", "    reason: mention only"]
            (folder / f"{article_id}.yaml").write_text("\n".join(meta) + "\n", encoding="utf-8")
        (folder / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")
        return ids

    def entity_files(self, folder: Path) -> None:
        blocks: dict[str, list[str]] = defaultdict(list)
        for e in self.entities:
            lines = [
                f"- id: {e.id}",
                f"  type: {e.type}",
                f"  name: {_q(e.name)}",
                f"  label_fr: {_q(e.name)}",
                f"  label_en: {_q(e.name)}",
                f"  aliases: [{', '.join(_q(a) for a in e.aliases)}]",
            ]
            if e.titles:
                lines.append(f"  titles: [{', '.join(_q(t) for t in e.titles)}]")
            if e.kind:
                lines.append(f"  kind: {e.kind}")
            blocks[FILE_NAMES[e.type]].append("\n".join(lines))
        for name, items in blocks.items():
            (folder / f"{name}.yaml").write_text("\n\n".join(items) + "\n", encoding="utf-8")


FACTS_PER_FILE = 10_000
PLACEHOLDER = re.compile(r"article: \{(\d+)\}")


def write_seeds(directory: Path, facts: int) -> Counter:
    """Write synthetic seeds with `facts` facts under `directory`; return what was written."""
    generator = _Generator(facts)
    fact_blocks = generator.facts()
    generator.presentations()
    for name in ("articles", "entities", "facts"):
        (directory / name).mkdir(parents=True, exist_ok=True)
    ids = generator.article_files(directory / "articles")
    generator.entity_files(directory / "entities")
    for start in range(0, len(fact_blocks), FACTS_PER_FILE):
        chunk = "\n\n".join(fact_blocks[start : start + FACTS_PER_FILE])
        # Sources name article numbers until the texts, hence the ids, are written. Quoted:
        # YAML reads an id whose hex digits are all decimal (842_0388206381048033) as a number.
        chunk = PLACEHOLDER.sub(lambda m: f"article: {_q(ids[int(m[1])])}", chunk)
        path = directory / "facts" / f"part-{start // FACTS_PER_FILE:04d}.yaml"
        path.write_text(chunk + "\n", encoding="utf-8")
    return Counter(
        articles=generator.article_count, entities=len(generator.entities), facts=len(fact_blocks)
    )
