"""Write a synthetic timeline of N events, for benchmarks and the incremental-build tests.

The site looks like a real one at scale: Markdown entries with front matter, citations with
locators and quotes, places, actors and tags drawn from fixed pools (so term pages hold many
events), a few disputed accounts, aliases, and one source for every twenty events.
Deterministic: the same N always writes the same files.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

PLACES = [f"Town {chr(65 + i // 26)}{chr(97 + i % 26)}" for i in range(60)]
ACTORS = [f"Actor {i:03d}" for i in range(120)]
TAGS = [f"topic-{i:02d}" for i in range(30)]
WORDS = ("convoy border talks ceasefire camp prison escape shelling protest statement report "
         "envoy troops withdrawal sanctions figures displaced officials council market road").split()


def event_text(i: int, n: int, sources: int, rng: random.Random) -> str:
    """Return the Markdown file of event `i` of `n` (dates spread over 1900-2024)."""
    year = 1900 + i * 125 // n
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    near = i * sources // n  # sources published soon after the event, as in a real timeline
    src = [f"src-{min(sources - 1, near + rng.randrange(4)):05d}" for _ in range(rng.randint(1, 3))]
    title = f"Event {i}: {' '.join(rng.sample(WORDS, 4))}"
    actors = rng.sample(ACTORS, rng.randint(1, 3))
    tags = rng.sample(TAGS, rng.randint(1, 2))
    lines = ["---", f'title: "{title}"', f'date: "{year}-{month:02d}-{day:02d}"',
             f"place: {rng.choice(PLACES)}", f"actors: [{', '.join(actors)}]", f"tags: [{', '.join(tags)}]",
             "sources:"]
    for sid in dict.fromkeys(src):
        lines += [f"  - id: {sid}", f'    quote: "{" ".join(rng.sample(WORDS, 6))}"']
    if i % 50 == 0:
        lines += ["accounts:",
                  f"  - claim: {rng.randint(10, 900)} people were affected", f"    by: {actors[0]}",
                  f"    sources: [{src[0]}]", f"    value: {rng.randint(10, 900)}",
                  f"  - claim: Fewer than {rng.randint(10, 900)} were affected", "    by: Officials",
                  f"    sources: [{src[-1]}]", f"    value: {rng.randint(10, 900)}"]
    lines.append("---")
    paragraphs = []
    for p in range(rng.randint(2, 4)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70)))
        cite = f" [@{rng.choice(src)}, para {p + 1}]" if p % 2 == 0 else f" [@{src[0]}]"
        paragraphs.append(f"The *{words.capitalize()}* \"quoted\" -- text{cite}.")
    return "\n".join(lines) + "\n" + "\n\n".join(paragraphs) + "\n"


def source_text(i: int, sources: int, rng: random.Random) -> str:
    """Return the YAML file of source `i` of `sources`."""
    year = 1900 + i * 125 // sources
    return (f'title: "Report number {i} on {rng.choice(WORDS)}"\npublisher: Agency {i % 40}\n'
            f'published: "{year + 3}-01-15"\nurl: https://example.org/report/{i}\n'
            f"language: en\n")



def generate(root: Path, n: int, seed: int = 1) -> Path:
    """Write a site of `n` events under `root` and return `root`."""
    rng = random.Random(seed)
    root = Path(root)
    (root / "content" / "events").mkdir(parents=True, exist_ok=True)
    (root / "content" / "sources").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"title: Generated timeline of {n} events\nbase_url: /gen/\n"
                                    "language: en\n", encoding="utf-8")
    sources = max(4, n // 20)
    for i in range(sources):
        (root / "content" / "sources" / f"src-{i:05d}.yaml").write_text(source_text(i, sources, rng), encoding="utf-8")
    for i in range(n):
        (root / "content" / "events" / f"e{i:06d}.md").write_text(event_text(i, n, sources, rng), encoding="utf-8")
    (root / "content" / "aliases.yaml").write_text(
        "places:\n  Town Aa: [Town-Aa, Aa]\nactors:\n  Actor 000: [The first actor]\n", encoding="utf-8")
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
