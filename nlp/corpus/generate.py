"""Regenerate the project's NER training corpus (`train.jsonl`, `test.jsonl`) from hand-written
case-report sentence templates and name pools.

    make corpus          # runs nlp.corpus.generate.main()

Deterministic (fixed seed). The test split uses its own templates and, for the custom types, names
that appear neither in the training split nor in `nlp/patterns/` — so recall on it measures what
training adds beyond the curated lists. Every name here is invented or generic; gang, drug and
weapon names that exist are public knowledge.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent
SLOT = re.compile(r"\{(\w+?)(\d?)\}")
TYPES = {
    "P": "PERSON",
    "G": "GANG_ORG",
    "D": "DRUG",
    "W": "WEAPON",
    "C": "CRIME",
    "L": "GPE",
    "F": "FAC",
    "O": "ORG",
    "N": "NORP",
    "M": "MONEY",
    "V": "VEHICLE",
    "T": "PHONE",
    "E": "EMAIL",
}

TRAIN_POOLS = {
    "P": """Carlos Mendez|Maria Lopez|Darnell Jackson|Kevin O'Brien|Luis Ortega|Tanya Fields|Marcus Reed|
        Jorge Castillo|Angela Brooks|Terrence Hill|Hector Ruiz|Jamal Carter|Sofia Alvarez|Dmitri Volkov|
        Rosa Delgado|Andre Thompson|Miguel Santos|Kayla Simmons|Ricardo Flores|Brandon Ward|Lucia Herrera|
        Tyrone Bell|Esteban Morales|Nadia Petrova|Samuel Greene|Victor Salazar|Keisha Howard|Omar Haddad|
        Patrick Doyle|Julio Navarro|Denise Parker|Raymond Cruz|Ivan Sokolov|Latoya Mitchell|Felipe Rojas""",
    "G": """MS-13|Latin Kings|Sinaloa Cartel|Crips|Bloods|Gangster Disciples|Hells Angels|Tren de Aragua|
        Vice Lords|Aryan Brotherhood|Eastside Vipers|Southside Locos|King Cobras|Westwood Rollers|
        Black Dragons|Los Halcones|North Avenue Boys|Dead End Crew|Iron Saints|Red Scorpions|
        Brick City Bosses|Rio Bravo Cartel|Los Cuervos|Marlowe Street Gang|Stone Hill Bloods|Los Lobos""",
    "D": """heroin|fentanyl|cocaine|methamphetamine|crack cocaine|MDMA|oxycodone|xylazine|ketamine|
        crystal meth|black tar heroin|blues|tranq|krokodil|bromazolam|etizolam|carisoprodol|U-47700|
        Captagon|gray death|furanylfentanyl|acetylfentanyl|alpha-PHP|clonazolam|mescaline""",
    "W": """Glock 19|9mm handgun|.38 revolver|AR-15 rifle|sawed-off shotgun|AK-47|Smith & Wesson revolver|
        Kriss Vector|Dragunov rifle|Steyr AUG|Skorpion machine pistol|FN Five-seven|Polymer80 pistol|
        zip gun|PPSh submachine gun|Mini Draco|Hi-Point carbine|Tec-9|.45 caliber pistol|12-gauge shotgun""",
    "C": """armed robbery|money laundering|possession with intent to distribute|drug trafficking|
        aggravated assault|carjacking|extortion|kidnapping|murder|burglary|witness intimidation|
        human trafficking|racketeering|wire fraud|arson|vehicular homicide|armed trespass|
        credit card skimming|aggravated stalking|home invasion robbery""",
    "L": """Chicago|Houston|Phoenix|El Paso|Miami|Atlanta|Newark|Tijuana|Culiacan|Los Angeles|Baltimore|
        Detroit|Memphis|San Diego|Laredo|Cleveland|Guadalajara|New Orleans""",
    "F": """O'Hare International Airport|Cook County Jail|Union Station|the Port of Long Beach|
        Ambassador Bridge|Riverside Motel|Harbor Point Mall|Greyhound Station""",
    "O": """DEA|FBI|ATF|Chicago Police Department|Homeland Security Investigations|Western Union|
        Bank of America|Houston Police Department|U.S. Marshals Service""",
    "N": "Mexican|Salvadoran|Colombian|Venezuelan|Honduran|Albanian",
    "M": "$25,000|$1.2 million|$400|$8,500|$75,000|$3,000",
    "V": "Toyota Camry|Honda Civic|Ford F-150|Chevrolet Tahoe|Nissan Altima|Dodge Ram|BMW X5|Jeep Cherokee",
    "T": "555-201-4477|(312) 555-0199|555-318-2290|(713) 555-0142",
    "E": "flaco.mendez@example.com|kingcobra77@example.net|lopez.m@example.org",
}
TEST_POOLS = {
    "P": """Arturo Vega|Shanice Coleman|Gregory Nash|Alejandro Ibarra|Monique Grant|Pavel Orlov|
        Damian Rivers|Yolanda Price|Esperanza Cordero|Travis Lindqvist|Ramon Quintero|Bianca Moretti""",
    "G": """Harbor Street Kings|Silver Wolves|Ghost Town Gang|Eighth Avenue Posse|Los Alacranes|
        Golden Triangle Syndicate|River Rats|Northgate Mafia|Crimson Hand|Los Zorros|Bayview Hustlers""",
    "D": """desomorphine|medetomidine|metonitazene|pink cocaine|tusi|yaba|flualprazolam|
        brorphine|ocfentanil|eutylone""",
    "W": """Canik TP9|Bersa Thunder|Jimenez JA-380|Hatsan Escort|Galil ACE|Vepr-12|Scorpion EVO|
        Raven MP-25""",
    "C": """aggravated kidnapping|vehicular manslaughter|armed carjacking|bank robbery|
        trafficking in stolen firearms|felony evading|aggravated battery""",
    "L": "Denver|Tucson|Oakland|Dallas|Nogales|Milwaukee|Juarez|Sacramento",
    "F": "Denver International Airport|Mesa Verde Storage|Eastgate Motel|Central Bus Terminal",
    "O": "Denver Police Department|Customs and Border Protection|Wells Fargo|Texas Rangers",
    "N": "Guatemalan|Dominican|Nigerian",
    "M": "$12,000|$250,000|$900",
    "V": "Toyota Tacoma|Honda Accord|Chevrolet Impala|Ford Explorer",
    "T": "555-404-7781|(720) 555-0133",
    "E": "ghost.gang@example.com|orlov.p@example.net",
}

TRAIN_TEMPLATES = """
{P1} sold {D1} to {P2} in {L1}.
{P1}, a member of the {G1}, was arrested for {C1}.
Detectives believe the {G1} supplied {D1} to dealers across {L1}.
{P1} was charged with {C1} after officers recovered a {W1} from his apartment.
Police seized two kilograms of {D1} and a {W1} from a {V1} registered to {P1}.
{P1}, also known as "{P2}", runs the {G1} operation in {L1}.
According to the {O1}, the {G1} moved {D1} through {F1}.
{P1} told investigators that {P2} paid {M1} for the {D1}.
The {G1} and the {G2} have fought over the {D1} trade in {L1} since 2019.
{P1} admitted to {C1} and named {P2} as his supplier.
Officers found {D1} and {D2} hidden in the trunk of a {V1}.
A confidential informant bought {D1} from {P1} near {F1}.
{P1} is a high-ranking member of the {G1}.
{P1} and {P2} were indicted on charges of {C1} and {C2}.
The {N1} national {P1} laundered {M1} through {O1} accounts.
Surveillance showed {P1} meeting {P2} outside {F1} in {L1}.
{P1} used the phone number {T1} to arrange sales of {D1}.
The {O1} linked the {W1} recovered at the scene to a shooting involving the {G1}.
{P1} allegedly ordered members of the {G1} to commit {C1}.
Lab tests confirmed the pills contained {D1} mixed with {D2}.
{P1} was seen carrying a {W1} outside the {G1} clubhouse.
The {G1} recruited teenagers in {L1} to sell {D1}.
Investigators traced {M1} in proceeds from {C1} to {P1}.
{P1} was convicted of {C1} in {L1} and sentenced to 12 years.
{P1} emailed {E1} to arrange a shipment of {D1} from {L1}.
A search of the {V1} driven by {P1} turned up a {W1} and {D1}.
The {G1}, a street gang based in {L1}, controls the local {D1} market.
{P1} fled to {L1} after the {C1} and was arrested by the {O1}.
{P1} and other {G1} members stored {D1} at a house in {L1}.
Witnesses said {P1} fired a {W1} at rival {G1} members.
{P1} confessed that the {G1} paid him {M1} to transport {D1}.
Prosecutors say {P1} led a {D1} ring tied to the {G1}.
The informant described {P1} as the {G1} leader in {L1}.
{P1} purchased the {W1} from {P2} for {M1}.
During the raid agents seized {D1}, a {W1} and {M1} in cash.
{P1} has prior convictions for {C1} and {C2}.
The {G1} is suspected of {C1} and {C2} in {L1}.
{P1}, who goes by "{P2}", distributed {D1} for the {G1}.
Border agents stopped a {V1} at {F1} loaded with {D1}.
{P1} was identified as a {G1} associate by the {O1}.
{P1} texted {P2} from {T1} about a delivery of {D1}.
Officers responding to the {C1} found {P1} holding a {W1}.
{P1} said that {D1} had replaced {D2} on the streets of {L1}.
The {O1} opened an investigation into {C1} by the {G1}.
{P1} shipped {D1} from {L1} to {L2} in a {V1}.
Members of the {G1} allegedly committed {C1} in {L1} last spring.
{P1} was found in possession of {D1} and a {W1}.
A {N1} cartel supplies the {G1} with {D1}, according to {P1}.
{P1} sold a {W1} to an undercover {O1} agent.
{P1} owed the {G1} {M1} for a load of {D1}.
The {W1} used in the {C1} belonged to {P1}.
{P1} joined the {G1} at age fifteen and later ran its {D1} business.
{P1} was released from {F1} and rejoined the {G1}.
In {L1}, the {G1} taxes every dealer who sells {D1}.
{P1} and {P2} were stopped in a {V1} with a {W1} under the seat.
The {O1} charged {P1} with {C1} on Tuesday.
{P1} told police he bought the {D1} from a {G1} member.
Agents recovered a {W1}, ammunition and {D1} from a storage unit in {L1}.
{P1} is accused of {C1} against a {G1} rival.
Overdoses linked to {D1} rose sharply in {L1} this year.
""".strip().splitlines()

TEST_TEMPLATES = """
{P1}, a member of the {G1}, sold {D1} to {P2} in {L1}.
Investigators say the {G1} distributed {D1} throughout {L1}.
{P1} was arrested for {C1} and a {W1} was recovered from his car.
Agents seized {D1} and a {W1} from a {V1} belonging to {P1}.
{P1} admitted that the {G1} paid him {M1} to move {D1}.
The {G1} and the {G2} are fighting over {D1} sales in {L1}.
{P1} was charged with {C1} after a search of {F1}.
Lab results showed the powder was {D1} cut with {D2}.
{P1} is a ranking member of the {G1} in {L1}.
{P1} bought a {W1} from {P2} for {M1}.
The {O1} tied the {G1} to {C1} in {L1}.
{P1} carried a {W1} when officers stopped him near {F1}.
{P1} and {P2} were indicted for {C1} and {C2}.
Police found {D1} hidden in the {V1} that {P1} was driving.
The {G1} recruits young people in {L1} to sell {D1}.
{P1} called {T1} to order more {D1} from the {G1}.
""".strip().splitlines()


def pool(text: str) -> list[str]:
    return [x.strip() for x in text.split("|") if x.strip()]


def render(template: str, pools: dict[str, list[str]], rng: random.Random) -> dict:
    chosen: dict[str, str] = {}
    text, spans, pos = "", [], 0
    for m in SLOT.finditer(template):
        text += template[pos : m.start()]
        slot = m.group(1) + m.group(2)
        if slot not in chosen:
            used = set(chosen.values())
            chosen[slot] = rng.choice([x for x in pools[m.group(1)] if x not in used])
        value = chosen[slot]
        start = len(text)
        text += value
        spans.append({"start": start, "end": len(text), "label": TYPES[m.group(1)]})
        pos = m.end()
    text += template[pos:]
    return {"text": text, "spans": spans}


def generate(templates: list[str], pools: dict[str, str], per_template: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    parsed = {k: pool(v) for k, v in pools.items()}
    rows, seen = [], set()
    for template in templates:
        made = 0
        for _ in range(per_template * 5):
            row = render(template, parsed, rng)
            if row["text"] in seen:
                continue
            seen.add(row["text"])
            rows.append(row)
            made += 1
            if made == per_template:
                break
    rng.shuffle(rows)
    return rows


def write(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(out: Path = HERE) -> None:
    """Write train.jsonl and test.jsonl to `out` (default: this package, where casegraph reads them)."""
    write(generate(TRAIN_TEMPLATES, TRAIN_POOLS, 6, seed=4), out / "train.jsonl")
    write(generate(TEST_TEMPLATES, TEST_POOLS, 6, seed=5), out / "test.jsonl")
