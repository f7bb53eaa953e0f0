#!/usr/bin/env python3
"""Build time and peak memory of `archive build` at 1k, 10k, 27k and 100k articles of the
ANT corpus, and of Hugo on the same 10k articles with three taxonomies holding the entities
our build found, in the same run.

    python3 benches/scale.py                      # all sizes, Hugo if installed
    python3 benches/scale.py --sizes 1000 10000   # some sizes
    python3 benches/scale.py --no-hugo
    python3 benches/scale.py --sizes 10000 --no-hugo --discovery   # with discovery / without

Needs the corpus at ../shared/corpora/ant-27k.tar.zst (or --corpus), tar with zstd, GNU
time (/usr/bin/time) and, for the comparison, Hugo (Debian package `hugo`). Works in
/tmp/archive-bench (or --work): archives are made of hard links to the unpacked corpus;
100k repeats it under new names (new slugs).

Each build writes into a folder that did not exist before, after `sync`, so no run pays
for another's writes; outputs are removed at the end. Creating thousands of files costs
the most on a virtual disk, and varies from minute to minute, so the comparison with Hugo
alternates the two builds --repeat times and compares the medians. So does --discovery,
which sets the largest size's build beside the same build with `[discovery] enabled = false`:
what the tagger and the discovered entities cost.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KINDS = {"person": "people", "place": "places", "organization": "organizations"}


def run_timed(cmd, cwd=None):
    """Runs `cmd` under GNU time, after writing out what earlier runs left in memory;
    returns (wall seconds, peak RSS in MB, stdout)."""
    os.sync()
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{out.stdout}\n{out.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", out.stderr)
    hours, minutes, seconds = wall.groups()
    wall_s = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    return wall_s, rss / 1024, out.stdout


def corpus(args):
    ant = args.work / "ant"
    if not ant.is_dir():
        args.work.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "--zstd", "-xf", str(args.corpus), "-C", str(args.work)], check=True)
    files = sorted(ant.glob("*.md"))
    # A fixed shuffle, so every size mixes outlets and categories the same way each run.
    random.Random(2018).shuffle(files)
    return files


def make_archive(args, files, size, name=None, settings=""):
    root = args.work / (name or f"archive-{size}")
    if root.exists():
        shutil.rmtree(root)
    (root / "articles").mkdir(parents=True)
    for sub in ["templates", "static"]:
        shutil.copytree(REPO / sub, root / sub)
    shutil.copy(REPO / "entities.toml", root / "entities.toml")
    (root / "site.toml").write_text(f'title = "ANT {size}"\ncontent_dir = "articles"\n{settings}')
    for i in range(size):
        source = files[i % len(files)]
        copy = i // len(files)
        name = source.name if copy == 0 else f"r{copy}-{source.name}"
        os.link(source, root / "articles" / name)
    return root


def largest_page(public):
    return max((p.stat().st_size for p in public.rglob("*.html")), default=0)


def hugo_site(args, root, public):
    """The same articles as a Hugo site, with people, places and organisations taxonomies.
    Its pages do what Hugo can of what ours do: an article lists its terms, five related
    articles (Hugo's related content, indexed on the three taxonomies) and the articles
    before and after it; each term has a paginated page of its articles."""
    data = json.loads((public / "data" / "archive.json").read_text())
    names = {(e["type"], e["id"]): e["name"] for e in data["entities"]}
    site = args.work / f"hugo-{root.name}"
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "posts").mkdir(parents=True)
    taxonomies = "\n".join(f'{kind} = "{plural}"' for kind, plural in KINDS.items())
    related = "".join(f'[[related.indices]]\nname = "{plural}"\nweight = 1\n' for plural in KINDS.values())
    (site / "config.toml").write_text(
        f'baseURL = "/"\ntitle = "ANT"\ndefaultContentLanguage = "ar"\n[taxonomies]\n{taxonomies}\n'
        f'[related]\nincludeNewer = true\nthreshold = 1\ntoLower = false\n{related}'
    )
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    page = '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{}</body></html>'
    (layouts / "single.html").write_text(page.replace("{}", "<h1>{{ .Title }}</h1>{{ .Content }}"
        '{{ range $t, $_ := .Site.Taxonomies }}{{ range ($.GetTerms $t) }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ end }}'
        '<ol>{{ range first 5 (.Site.RegularPages.Related .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>'
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'))
    listing = "<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"
    (layouts / "list.html").write_text(page.replace("{}", listing))
    (layouts / "terms.html").write_text(page.replace("{}", "<ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a></li>{{ end }}</ul>"))
    (site / "layouts" / "index.html").write_text(page.replace("{}", listing))
    for article in data["articles"]:
        # A discovered name without a page ("page": false) is no term: Hugo would make it one.
        terms = {plural: sorted({names[(m["type"], m["entity"])] for m in article["mentions"]
                                 if m["type"] == kind and m.get("page", True)})
                 for kind, plural in KINDS.items()}
        text = (root / article["path"]).read_text()
        head, _, body = text.partition("+++\n")[2].partition("+++\n")
        # Hugo reads `url` as the page's own address; the corpus means the source's.
        head = re.sub(r"(?m)^url = ", "source_url = ", head)
        extra = "".join(f"{plural} = {json.dumps(values, ensure_ascii=False)}\n" for plural, values in terms.items())
        (site / "content" / "posts" / f"{article['slug']}.md").write_text(f"+++\n{head}{extra}+++\n{body}")
    return site


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 27549, 100000])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "ant-27k.tar.zst")
    parser.add_argument("--work", type=Path, default=Path("/tmp/archive-bench"))
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--hugo-size", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3, help="archive/Hugo pairs in the comparison")
    parser.add_argument("--discovery", action="store_true", help="compare with discovery turned off")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = REPO / "target" / "release" / "archive"
    files = corpus(args)
    print(f"machine: {os.cpu_count()} cores, load average {open('/proc/loadavg').read().split()[:3]}")
    print(f"{'articles':>9} {'wall s':>8} {'art/s':>8} {'ms/art':>7} {'peak MB':>8} {'largest page KB':>16}")
    results = {}
    for size in args.sizes:
        root = make_archive(args, files, size)
        public = root / f"public-{int(time.time())}"
        wall, rss, out = run_timed([binary, "build", "--root", root, "--output", public])
        results[size] = (wall, rss, root, public)
        print(f"{size:>9} {wall:>8.2f} {size / wall:>8.0f} {wall / size * 1000:>7.3f} {rss:>8.0f} "
              f"{largest_page(public) / 1024:>16.0f}   {out.strip()}")
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        ratio = (results[large][0] / large) / (results[small][0] / small)
        print(f"per-article time at {large} / at {small}: {ratio:.2f}x")

    outputs = [public for (_, _, _, public) in results.values()]
    if not args.no_hugo and shutil.which("hugo") and args.hugo_size in results:
        _, _, root, public = results[args.hugo_size]
        site = hugo_site(args, root, public)
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
        print(f"hugo {version} and archive on the same {args.hugo_size} articles, alternately:")
        ours, hugos = [], []
        for i in range(args.repeat):
            mine = root / f"public-{int(time.time())}-{i}"
            ours.append(run_timed([binary, "build", "--root", root, "--output", mine])[:2])
            theirs = site / f"public-{i}"
            hugos.append(run_timed(["hugo", "--quiet", "--source", site, "--destination", theirs])[:2])
            outputs += [mine, theirs]
            print(f"  pair {i + 1}: archive {ours[-1][0]:.2f} s, {ours[-1][1]:.0f} MB; "
                  f"hugo {hugos[-1][0]:.2f} s, {hugos[-1][1]:.0f} MB; time ratio {ours[-1][0] / hugos[-1][0]:.3f}")
        pages = sum(1 for _ in (site / "public-0").rglob("*.html"))
        (wall, rss), (hugo_wall, hugo_rss) = median(ours), median(hugos)
        print(f"hugo, 3 taxonomies, {pages} pages: median {hugo_wall:.2f} s, peak {hugo_rss:.0f} MB; "
              f"archive: median {wall:.2f} s, peak {rss:.0f} MB")
        print(f"archive / hugo: time {wall / hugo_wall:.3f} (hugo is {hugo_wall / wall:.1f}x slower), "
              f"peak memory {rss / hugo_rss:.3f}")
    if args.discovery:
        size = max(args.sizes)
        root = results[size][2]
        off = make_archive(args, files, size, f"archive-{size}-off", "[discovery]\nenabled = false\n")
        print(f"discovery on and off on the same {size} articles, alternately:")
        ons, offs = [], []
        for i in range(args.repeat):
            for runs, site in [(ons, root), (offs, off)]:
                public = site / f"public-{int(time.time())}-{i}"
                wall, rss, out = run_timed([binary, "build", "--root", site, "--output", public])
                runs.append((wall, rss))
                outputs.append(public)
                pages = out.split(": ", 1)[1].split(",")[0] if ": " in out else "?"
                print(f"  {'on ' if runs is ons else 'off'} {i + 1}: {wall:.2f} s, {rss:.0f} MB, {pages}")
        (wall, rss), (off_wall, off_rss) = median(ons), median(offs)
        print(f"discovery on / off: time {wall / off_wall:.3f} ({wall:.2f} s / {off_wall:.2f} s), "
              f"peak memory {rss / off_rss:.3f} ({rss:.0f} MB / {off_rss:.0f} MB)")
    for output in outputs:
        shutil.rmtree(output, ignore_errors=True)


def median(runs):
    """The median (wall, peak memory) of runs: each taken on its own."""
    middle = len(runs) // 2
    return sorted(r[0] for r in runs)[middle], sorted(r[1] for r in runs)[middle]


if __name__ == "__main__":
    main()
