"""`casegraph_context_rules` (after span trimming): the entity rules that need the words around a
name, where no list can reach. They follow the annotation rules of the realcases corpus
(../shared/data/realcases/README.md), which are the project's annotation rules.

- Gang context: a capitalised name right before a gang word ("the Bushwick Crew street gang",
  "Hoodstars clique", "La Familia cartel") or after "members/associates/leaders of (the)" is a
  GANG_ORG, without the lowercase gang word. A capitalised `Cartel` / `Motorcycle Club` stays: it
  is part of the name ("Sinaloa Cartel").
- Generic words alone ("gang", "cartel", "the enterprise", "the DTO", "Mafia" used generically)
  are never entities.
- Abbreviations: "Traveling Vice Lords (TVL)" defines TVL; every TVL of the document takes the
  label of the name it abbreviates (nlp.canonical keys both on one name).
- Judicial districts: "Eastern District of New York" is one GPE (not LOC "Eastern District" + GPE).
- Titles: "U.S." / "United States" inside a title ("U.S. Attorney", "United States District
  Judge") is not a place.
- Charges: after "charged with", "convicted of", "pleaded guilty to", "sentenced for" … (and
  "N counts of"), the charge phrase is one CRIME span to its natural end (a comma, semicolon, the
  sentence end, "and one count of", a date); drugs and places inside a formal charge belong to it.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .canonical import abbreviation_id

GANG = "GANG_ORG"
CRIME = "CRIME"
# Lowercase words after a name that make it a gang (they stay outside the span).
GANG_SUFFIXES = ("street gang", "prison gang", "criminal street gang", "gang", "clique", "clica", "set", "faction",
                 "crew", "cartel", "drug cartel", "criminal organization", "criminal enterprise", "organization",
                 "drug trafficking organization", "transnational criminal organization", "motorcycle gang",
                 "outlaw motorcycle gang", "hybrid gang", "neighborhood gang", "street crew", "gang members")
GANG_PRECEDERS = ("members of", "member of", "associates of", "associate of", "leaders of", "leader of",
                  "members and associates of", "faction of", "clique of", "set of", "leadership of")
# A name after "members of" that holds one of these words is an agency, not a gang.
NOT_GANG_HEADS = frozenset({"office", "department", "police", "task", "force", "bureau", "agency", "administration",
                            "court", "service", "services", "division", "unit", "team", "sheriff", "attorney",
                            "fbi", "dea", "atf", "hsi", "ice", "congress", "board", "commission", "church",
                            "university", "army", "navy", "marine", "corps", "guard", "family", "jury", "district",
                            "county", "state", "states", "city", "government"})
GENERIC = frozenset({"gang", "gangs", "street gang", "street gangs", "prison gang", "prison gangs", "cartel",
                     "cartels", "drug cartel", "drug cartels", "mafia", "the mafia", "enterprise", "the enterprise",
                     "criminal enterprise", "racketeering enterprise", "organization", "the organization",
                     "criminal organization", "dto", "the dto", "dtos", "tco", "tcos", "clique", "cliques", "set",
                     "sets", "crew", "faction", "violent gang", "violent street gang", "criminal street gang",
                     "transnational gang", "the gang", "the cartel", "drug trafficking organization",
                     "transnational criminal organization", "hybrid gang", "motorcycle club", "cartel de",
                     "drug trafficking organizations", "gang members", "gang member"})
CHARGE_TRIGGERS = ("charged with", "convicted of", "pleaded guilty to", "pled guilty to", "plead guilty to",
                   "pleading guilty to", "found guilty of", "sentenced for", "indicted for", "indicted on",
                   "arrested for", "accused of", "guilty of", "counts of", "count of", "charges of")
# Words that open a charge phrase's object-free lead-in: skipped ("one count of", "federal").
COUNT_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a", "an",
                         "single", "multiple", "several", "numerous", "federal", "state", "count", "counts", "of",
                         "the", "additional"})
# Offence head words: a charge phrase must hold one, and "and"/"or" before one starts a new charge.
OFFENCE_HEADS = frozenset({
    "conspiracy", "conspiring", "possession", "possessing", "distribution", "distributing", "murder", "murders",
    "robbery", "robberies", "laundering", "trafficking", "racketeering", "assault", "kidnapping", "extortion",
    "fraud", "smuggling", "importation", "manufacturing", "manufacture", "using", "use", "carrying", "brandishing",
    "discharging", "being", "engaging", "escape", "attempted", "attempt", "arson", "carjacking", "bribery",
    "obstruction", "tampering", "retaliation", "transportation", "transporting", "dealing", "sale", "selling",
    "solicitation", "stalking", "theft", "burglary", "homicide", "manslaughter", "harboring", "evasion",
    "structuring", "exportation", "exporting", "importing", "transactions", "interstate", "maiming", "aiding",
    "receipt", "receiving", "making", "unlawful", "illegal", "felon", "straw", "false", "lying", "murdering",
})
# A phrase ends before these: a new clause, a date or a sentencing detail.
PHRASE_STOPS = frozenset({"after", "before", "when", "while", "which", "that", "who", "whom", "because", "since",
                          "between", "during", "as", "on", "at", "last", "earlier", "yesterday", "today", "and",
                          "or", "for", "by", "with"})
# Kept inside a charge phrase although they are stop words: "using and carrying firearms during and in
# relation to a drug trafficking crime", "in furtherance of", "in aid of".
PHRASE_KEEP_AFTER = {"during": frozenset({"and"}), "with": frozenset({"intent"}), "for": frozenset({"the"})}
# Nouns an offence word only describes ("drug trafficking proceeds", "a money laundering scheme").
OFFENCE_MODIFIED = frozenset({"proceeds", "scheme", "schemes", "network", "networks", "investigation",
                              "investigations", "operation", "operations", "enforcement", "efforts", "campaign",
                              "initiative", "task", "ring", "rings", "cell", "cells", "routes", "route", "corridor",
                              "activity", "activities", "-related", "related", "case", "cases", "unit", "squad"})
# "in aid of racketeering", "in furtherance of", "in relation to", "in connection with": part of a charge.
TAIL_TRIMMED = frozenset({"CRIME", "WEAPON", "DRUG"})
IN_CHARGE = frozenset({"aid", "furtherance", "relation", "connection"})
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."})
MAX_CHARGE_TOKENS = 24  # a longer run has no natural end: not taken
# Nouns that close a charge phrase ("racketeering conspiracy charges"): what follows is not the charge.
PHRASE_CLOSERS = frozenset({"charges", "charge", "crimes", "offenses", "offences", "violations", "counts"})
# The 94 federal judicial districts are named after states (and D.C. and territories): a fact list.
STATES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
          "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
          "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
          "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|"
          "Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Columbia|Puerto Rico|"
          "Guam|the Virgin Islands|the Northern Mariana Islands")
_DISTRICT_NAME = re.compile(
    r"\b(?:(?:Northern|Southern|Eastern|Western|Middle|Central)\s+)?District\s+of\s+(?:" + STATES + r")\b"
)
TITLE_WORDS = frozenset({"attorney", "attorneys", "district", "marshal", "marshals", "magistrate", "attorney's",
                         "attorney’s", "sentencing", "code", "secret", "customs", "border", "postal", "army",
                         "navy", "air", "coast", "department", "treasury", "probation", "bankruptcy", "court"})
_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9&.-]{1,9}$")


def _lower_tokens(doc: Doc, start: int, words: str) -> bool:
    parts = words.split()
    if start + len(parts) > len(doc):
        return False
    return all(doc[start + i].text == w for i, w in enumerate(parts))


def _capitalised_run_before(doc: Doc, end: int) -> int:
    """Start of the run of capitalised/number tokens ending at `end` (exclusive); `end` if none."""
    i = end
    while i > 0:
        t = doc[i - 1]
        joiner = t.text in {"de", "del", "la", "los", "las", "of", "y", "-"} and i - 1 > 0 and i < end
        if (t.text[:1].isupper() or t.like_num and i < end or joiner) and not t.is_sent_start:
            i -= 1
            continue
        if t.text[:1].isupper() and t.is_sent_start:
            i -= 1
        break
    while i < end and doc[i].text in {"de", "del", "la", "los", "las", "of", "y", "-"}:
        i += 1
    while i < end and doc[i].lower_ in {"the", "a", "an"}:
        i += 1
    return i


def _capitalised_run_after(doc: Doc, start: int) -> int:
    i = start
    while i < len(doc) and (doc[i].text[:1].isupper() or doc[i].like_num and i > start or
                            doc[i].text in {"de", "del", "la", "los", "y", "-"} and i > start):
        i += 1
    while i > start and doc[i - 1].text in {"de", "del", "la", "los", "y", "-"}:
        i -= 1
    return i


class ContextRules:
    def __init__(self, gang_suffixes: list[str], generic: list[str]) -> None:
        self.suffixes = sorted(gang_suffixes, key=lambda s: -len(s.split()))
        self.generic = {g.lower() for g in generic}

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        ents = self._trim_gang_suffixes(doc, ents)
        ents = self._gang_context(doc, ents)
        ents = self._districts(doc, ents)
        ents = self._titles(ents)
        ents = self._charges(doc, ents)
        ents = self._crime_conspiracy(doc, ents)
        ents = self._trim_crime_tails(doc, ents)
        ents = self._abbreviations(doc, ents)
        ents = [e for e in ents if not self.is_generic(e)]
        doc.ents = filter_spans(ents)
        return doc

    def is_generic(self, span: Span) -> bool:
        words = [t for t in span if t.lower_ not in {"the", "a", "an", "this", "that", "its", "their"}]
        text = " ".join(t.lower_ for t in words)
        if span.label_ in {GANG, "ORG", "NORP"} and text in self.generic:
            return True
        # "Violent Gang", "County Street Gang": generic words and a place or adjective, no name.
        return span.label_ == GANG and bool(words) and all(
            t.lower_ in {"gang", "street", "prison", "violent", "criminal", "cartel", "organization", "county",
                         "drug", "gangs", "transnational", "national", "enterprise"}
            for t in words
        )

    # -- gangs ---------------------------------------------------------------------------------
    def _suffix_at(self, doc: Doc, i: int) -> int:
        """Length in tokens of a lowercase gang suffix starting at token i (0: none)."""
        for s in self.suffixes:
            if _lower_tokens(doc, i, s):
                return len(s.split())
        return 0

    def _trim_gang_suffixes(self, doc: Doc, ents: list[Span]) -> list[Span]:
        out = []
        for e in ents:
            if e.label_ == GANG:
                end = e.end
                while end - e.start > 1 and doc[end - 1].is_lower and self._suffix_at(doc, end - 1):
                    end -= 1
                while end - e.start > 1 and doc[end - 1].is_lower and doc[end - 1].lower_ in {"street", "prison"}:
                    end -= 1
                if end != e.end:
                    e = Span(doc, e.start, end, label=GANG)
            out.append(e)
        return out

    def _gang_context(self, doc: Doc, ents: list[Span]) -> list[Span]:
        new: list[Span] = []
        for i, tok in enumerate(doc):
            if not tok.is_lower:
                continue
            n = self._suffix_at(doc, i)
            # The gang word must be a noun here: "Holmes set out", "the Dawsons crew the boat" are verbs.
            if n and i > 0 and not doc[i - 1].is_punct and doc[i + n - 1].pos_ in {"NOUN", "PROPN"}:
                start = _capitalised_run_before(doc, i)
                if start < i and self._gang_like(doc[start:i]):
                    new.append(Span(doc, start, i, label=GANG))
        text = doc.text
        for p in GANG_PRECEDERS:
            for m in re.finditer(r"\b" + re.escape(p) + r"\s+(?:the\s+)?", text):
                span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
                if span is None:
                    continue
                end = _capitalised_run_after(doc, span.start)
                if end > span.start and self._gang_like(doc[span.start:end]):
                    new.append(Span(doc, span.start, end, label=GANG))
        if not new:
            return ents
        taken = {i for s in new for i in range(s.start, s.end)}
        # The context wins over the model's guess (ORG, PERSON, GPE) for the same words.
        kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end)) or e.label_ == GANG and
                any(e.start <= s.start and s.end <= e.end for s in new)]
        return kept + [s for s in new if not any(k.label_ == GANG and k.start <= s.start and s.end <= k.end
                                                 for k in kept)]

    @staticmethod
    def _gang_like(span: Span) -> bool:
        words = {t.lower_ for t in span}
        if not span or words & NOT_GANG_HEADS or len(span) > 6:
            return False
        if all(t.ent_type_ in {"PERSON", "GPE", "DATE", "CARDINAL"} for t in span):
            # "Hartford gang", "the Rincon-Rincon organization": a place or a person is where or whose.
            return False
        return any(t.text[:1].isupper() or t.like_num for t in span)

    # -- places and titles ---------------------------------------------------------------------
    @staticmethod
    def _districts(doc: Doc, ents: list[Span]) -> list[Span]:
        new = []
        for m in _DISTRICT_NAME.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), label="GPE", alignment_mode="contract")
            if span is not None:
                prev = doc[span.start - 1] if span.start else None
                # Inside an agency name ("U.S. Attorney's Office for the Eastern District of …") the
                # district is part of the ORG: leave it to the ORG.
                if prev is not None and any(e.label_ == "ORG" and e.start <= span.start < e.end for e in ents):
                    continue
                new.append(span)
        if not new:
            return ents
        taken = {i for s in new for i in range(s.start, s.end)}
        return [e for e in ents if not any(i in taken for i in range(e.start, e.end))] + new

    @staticmethod
    def _titles(ents: list[Span]) -> list[Span]:
        """"U.S. Attorney", "U.S. citizen", "drug trafficking proceeds": a place or an offence that
        only qualifies the noun after it is not an entity (the annotation rules label nouns)."""
        out = []
        for e in ents:
            nxt = e.doc[e.end] if e.end < len(e.doc) else None
            place = e.label_ == "GPE" and e.text in {"U.S.", "United States", "US"}
            if nxt is not None and place and (
                nxt.lower_ in TITLE_WORDS or nxt.is_alpha and nxt.pos_ in {"NOUN", "PROPN", "ADJ"}
            ):
                continue
            if nxt is not None and e.label_ == CRIME and nxt.lower_ in OFFENCE_MODIFIED:
                continue
            out.append(e)
        return out

    # -- charges -------------------------------------------------------------------------------
    def _charges(self, doc: Doc, ents: list[Span]) -> list[Span]:
        new = []
        lower = doc.text.lower()
        for trigger in CHARGE_TRIGGERS:
            for m in re.finditer(r"\b" + re.escape(trigger) + r"\b", lower):
                after = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
                if after is None:
                    continue
                span = self._charge_phrase(doc, after.start)
                if span is not None:
                    new.append(span)
        if not new:
            return ents
        new = filter_spans(new)
        taken = {i for s in new for i in range(s.start, s.end)}
        return [e for e in ents if not any(i in taken for i in range(e.start, e.end))] + new

    @staticmethod
    def _trim_crime_tails(doc: Doc, ents: list[Span]) -> list[Span]:
        """A CRIME, WEAPON or DRUG span (a trained model may run one on) ends before final punctuation
        and where a place, time or clause starts ("conspiracy to distribute in the report", "robbery
        at the store"): the natural end the charge phrases have. "in aid of", "in furtherance of",
        "in relation to", "in connection with" and "in racketeering" are part of a charge."""
        out = []
        for e in ents:
            if e.label_ in TAIL_TRIMMED:
                end = e.end
                while end - e.start > 1 and doc[end - 1].is_punct and doc[end - 1].text not in {")", "”", '"'}:
                    end -= 1
                if end != e.end:
                    e = Span(doc, e.start, end, label=e.label_, kb_id=e.kb_id_, span_id=e.id_)
                for t in e[1:]:
                    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
                    if t.lower_ in {"at", "on", "after", "when", "while", "before"} or t.lower_ == "in" and (
                        nxt is None or nxt.lower_ not in IN_CHARGE and nxt.lower_ not in OFFENCE_HEADS
                    ):
                        e = Span(doc, e.start, t.i, label=e.label_, kb_id=e.kb_id_, span_id=e.id_)
                        break
            out.append(e)
        return out

    @staticmethod
    def _crime_conspiracy(doc: Doc, ents: list[Span]) -> list[Span]:
        """"racketeering conspiracy", "RICO conspiracy": the offence and its conspiracy are one charge."""
        out = []
        for e in ents:
            if e.end < len(doc) and doc[e.end].lower_ == "conspiracy" and e.label_ == CRIME:
                e = Span(doc, e.start, e.end + 1, label=CRIME)
            out.append(e)
        starts = {e.start for e in out}
        for t in doc:
            if t.text == "RICO" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "conspiracy" and t.i not in starts:
                out = [e for e in out if not (e.start <= t.i + 1 < e.end)] + [Span(doc, t.i, t.i + 2, label=CRIME)]
        return out

    @staticmethod
    def _charge_phrase(doc: Doc, i: int) -> Span | None:
        start = i
        while start < len(doc) and (doc[start].lower_ in COUNT_WORDS or doc[start].like_num):
            start += 1
        end = start
        while True:
            if end - start >= MAX_CHARGE_TOKENS:
                return None
            if end >= len(doc):
                break
            t = doc[end]
            if t.lower_ in PHRASE_CLOSERS and end > start:
                break
            if t.is_punct and t.text not in {"-", "/"} or t.is_space or (t.is_sent_start and end > start):
                break
            low = t.lower_
            if low in MONTHS or re.fullmatch(r"\d{4}", t.text):
                break
            if low in PHRASE_STOPS and end > start:
                nxt = doc[end + 1] if end + 1 < len(doc) else None
                keep = PHRASE_KEEP_AFTER.get(low, frozenset())
                if nxt is not None and (nxt.lower_ in keep or low in {"and", "or"} and nxt.lower_ not in
                                        OFFENCE_HEADS and nxt.lower_ not in COUNT_WORDS and not nxt.like_num
                                        or low == "and" and nxt.like_num and end + 2 < len(doc)
                                        and doc[end + 2].lower_ not in {"count", "counts"}):
                    end += 1
                    continue
                if low == "in" or low == "during" and nxt is not None and nxt.lower_ in {"and", "in"}:
                    end += 1
                    continue
                break
            if low == "in" and end + 1 < len(doc) and doc[end + 1].lower_ not in IN_CHARGE | OFFENCE_HEADS:
                break
            if low == "in" and end + 1 < len(doc) and doc[end + 1].lower_ == "violation":
                break
            end += 1
        while end > start and doc[end - 1].lower_ in {"the", "a", "an", "of", "to", "and", "or", "in"}:
            end -= 1
        if end <= start or not any(t.lower_ in OFFENCE_HEADS or t.lemma_.lower() in OFFENCE_HEADS
                                   for t in doc[start:end]):
            return None
        if doc[start].lower_ in {"charges", "crimes", "offenses", "offences", "violations", "his", "her", "their"}:
            return None
        return Span(doc, start, end, label=CRIME)

    # -- abbreviations -------------------------------------------------------------------------
    @staticmethod
    def _abbreviations(doc: Doc, ents: list[Span]) -> list[Span]:
        by_end = {e.end: e for e in ents}
        defined: dict[str, tuple[str, str]] = {}
        quotes = {'"', "“", "”", "'", "‘", "’"}
        for i, tok in enumerate(doc[:-2]):
            if tok.text != "(" or i not in by_end:
                continue
            j = i + 1 + (doc[i + 1].text in quotes)  # "Gangster Disciples (“GD”)"
            k = j + 1 + (j + 1 < len(doc) and doc[j + 1].text in quotes)
            if k < len(doc) and doc[k].text == ")":
                abbr = doc[j].text
                name = by_end[i]
                if _ABBREVIATION.match(abbr) and name.label_ in {GANG, "ORG"} and _initials_fit(abbr, name):
                    defined[abbr] = (name.label_, abbreviation_id(name))
        if not defined:
            return ents
        new = [Span(doc, t.i, t.i + 1, label=defined[t.text][0], span_id=defined[t.text][1]) for t in doc
               if t.text in defined]
        taken = {s.start for s in new}
        return [e for e in ents if not any(i in taken for i in range(e.start, e.end))] + new


def _initials_fit(abbr: str, name: Span) -> bool:
    """"TVL" fits "Traveling Vice Lords", "ABT" fits "Aryan Brotherhood of Texas"."""
    letters = [c for c in abbr.upper() if c.isalpha()]
    initials = [t.text[0].upper() for t in name if t.text[:1].isalpha()]
    it = iter(initials)
    return bool(letters) and letters[0] == initials[0] and all(any(c == x for x in it) for c in letters)


@Language.factory(
    "casegraph_context_rules",
    default_config={"gang_suffixes": list(GANG_SUFFIXES), "generic": sorted(GENERIC)},
)
def make_context_rules(nlp: Language, name: str, gang_suffixes: list[str], generic: list[str]) -> Any:
    return ContextRules(gang_suffixes, generic)
