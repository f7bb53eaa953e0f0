#!/usr/bin/env python3
"""A reproducible sample of the people, places and organisations a build highlighted, with
their context, to judge by reading (issue 8: at least 90% must be right).

    python3 benches/sample.py --site /tmp/archive-bench/archive-27549/public [--n 200] [--seed 8]

Reads the site's data/archive.json and the articles it names (paths relative to the
archive's folder, the site's parent unless --root says otherwise). Every mention of the
three types is a candidate, curated or discovered alike; --seed fixes which are drawn.
Prints one block per mention: number, type, curated entity or «discovered», the text,
and 80 characters either side with the mention in [[ ]].
"""

import argparse
import json
import random
from pathlib import Path

KINDS = ("person", "place", "organization")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--root", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    root = args.root or args.site.parent
    data = json.loads((args.site / "data" / "archive.json").read_text())
    candidates = [(a, m) for a in data["articles"] for m in a["mentions"] if m["type"] in KINDS]
    picked = random.Random(args.seed).sample(candidates, min(args.n, len(candidates)))
    counts = {k: sum(1 for _, m in candidates if m["type"] == k) for k in KINDS}
    print(f"# {len(picked)} of {len(candidates)} mentions ({counts}), seed {args.seed}")
    for i, (article, m) in enumerate(picked, 1):
        raw = (root / article["path"]).read_bytes()
        before = raw[max(0, m["start"] - 240):m["start"]].decode("utf-8", "ignore")[-80:]
        after = raw[m["end"]:m["end"] + 240].decode("utf-8", "ignore")[:80]
        source = "discovered" if m.get("discovered") else f"curated {m['entity']}"
        context = f"{before}[[{m['text']}]]{after}".replace("\n", " ⏎ ")
        print(f"\n{i:3}. {m['type']:<12} {source}: {m['text']}  ({article['slug']})\n     {context}")


if __name__ == "__main__":
    main()
