"""Generates corpus.jsonl: a small synthetic English corpus from a fixed probabilistic grammar.

Deterministic (seeded): `python3 generate.py` rewrites corpus.jsonl byte for byte. One document per line,
{"text": "..."}, each a paragraph of 3-7 sentences.
"""
import json
import random

SEED = 20261128
DOCUMENTS = 1500

NAMES = ["Ada", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lena", "Milo", "Nora",
         "Omar", "Pia", "Quin", "Rosa", "Sam", "Tara"]
ANIMALS = ["cat", "dog", "fox", "owl", "horse", "rabbit", "goat", "duck", "mouse", "bear"]
PLACES = ["the garden", "the river", "the old mill", "the market", "the forest", "the hill", "the library",
          "the harbour", "the bakery", "the station"]
ADJECTIVES = ["small", "quiet", "brave", "clever", "sleepy", "happy", "curious", "gentle", "old", "young"]
COLOURS = ["red", "blue", "green", "yellow", "white", "black", "brown", "grey"]
OBJECTS = ["ball", "book", "lamp", "basket", "kite", "boat", "hat", "key", "map", "cup"]
VERBS_PAST = ["found", "lost", "carried", "painted", "opened", "hid", "fixed", "shared", "dropped", "built"]
MOTION = ["walked to", "ran to", "looked around", "sat near", "waited at", "came back from"]
FEELINGS = ["glad", "tired", "surprised", "hungry", "proud", "worried", "calm"]
WEATHER = ["It was raining", "The sun was warm", "The wind was cold", "Snow covered everything", "The sky was clear"]
TIMES = ["In the morning", "After lunch", "In the evening", "At night", "On Sunday", "Later that day"]


def sentence(rng, name, animal):
    kind = rng.randrange(7)
    if kind == 0:
        return f"{rng.choice(TIMES)}, {name} {rng.choice(MOTION)} {rng.choice(PLACES)}."
    if kind == 1:
        return f"The {rng.choice(ADJECTIVES)} {animal} {rng.choice(VERBS_PAST)} a {rng.choice(COLOURS)} {rng.choice(OBJECTS)}."
    if kind == 2:
        return f"{name} {rng.choice(VERBS_PAST)} the {rng.choice(OBJECTS)} near {rng.choice(PLACES)}."
    if kind == 3:
        return f"{rng.choice(WEATHER)}, so {name} felt {rng.choice(FEELINGS)}."
    if kind == 4:
        n = rng.randrange(2, 10)
        return f"There were {n} {rng.choice(COLOURS)} {rng.choice(OBJECTS)}s in {rng.choice(PLACES)}."
    if kind == 5:
        return f"\"Where is my {rng.choice(OBJECTS)}?\" asked {name}, and the {animal} looked {rng.choice(FEELINGS)}."
    return f"{name} and the {animal} {rng.choice(MOTION)} {rng.choice(PLACES)} together."


def main():
    rng = random.Random(SEED)
    paragraphs = []
    for _ in range(DOCUMENTS):
        name, animal = rng.choice(NAMES), rng.choice(ANIMALS)
        paragraphs.append(" ".join(sentence(rng, name, animal) for _ in range(rng.randrange(3, 8))))
    with open("corpus.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for paragraph in paragraphs:
            f.write(json.dumps({"text": paragraph}) + "\n")


if __name__ == "__main__":
    main()
