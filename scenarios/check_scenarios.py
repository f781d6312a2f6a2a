#!/usr/bin/env python3
"""Checks the bundled scenarios against the plan texts and the target catalogues.

- every 「…」 quote in any `source`, and every target `quote`, is a substring of the
  plan text after removing all whitespace (national `source_text` for national
  targets and for 「…」; the province's own document for ha_/sd_/gd_ target quotes,
  which the single `source_text` of the format cannot cover);
- every `source` is `assumption: …` or contains a 「…」 quote;
- every catalogue id appears exactly once as a target id (provincial ids prefixed);
- names are at most 45 characters and every named entity has a name_zh.
`extends` is resolved the way docs/scenario-format.md describes (parent first,
child laid over it, arrays of tables with ids merged by id).

Usage: python3 scenarios/check_scenarios.py   (from the repository root or anywhere)
"""
import csv, os, re, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WS = re.compile(r'\s+')

def squash(s):
    return WS.sub('', s)

def merge(p, c):
    for k, v in c.items():
        if k in p and isinstance(p[k], dict) and isinstance(v, dict):
            merge(p[k], v)
        elif (k in p and isinstance(p[k], list) and isinstance(v, list) and p[k] and v
              and all(isinstance(x, dict) and 'id' in x for x in p[k] + v)):
            for item in v:
                hit = [x for x in p[k] if x['id'] == item['id']]
                if hit:
                    merge(hit[0], item)
                else:
                    p[k].append(item)
        else:
            p[k] = v

def load(path):
    d = tomllib.load(open(path, 'rb'))
    if 'extends' in d:
        parent = load(os.path.join(os.path.dirname(path), d['extends']))
        merge(parent, d)
        return parent
    return d

def included_targets(path, sc):
    """Targets of the scenarios `sc` includes, with their ids prefixed (each included
    file's own sources are checked by tests/scenarios.rs against its own document)."""
    out = []
    for inc in sc.get('include', []):
        child = load(os.path.join(os.path.dirname(path), inc['file']))
        for t in child.get('targets', []):
            out.append(dict(t, id=inc['prefix'] + '_' + t['id']))
    return out

DOCS = {
    '': 'docs/sources/000_national_2011_2015.txt',
    'ha': 'docs/sources/001_henan_2011_2015.txt',
    'sd': 'docs/sources/002_shandong_2011_2015.txt',
    'gd': 'docs/sources/004_guangdong_2011_2015.txt',
}
CATS = {
    '': 'docs/targets/000_national_2011_2015.csv',
    'ha': 'docs/targets/001_henan_2011_2015.csv',
    'sd': 'docs/targets/002_shandong_2011_2015.csv',
    'gd': 'docs/targets/004_guangdong_2011_2015.csv',
}
TEXT = {k: squash(open(os.path.join(ROOT, v), encoding='utf-8').read()) for k, v in DOCS.items()}
CAT = {k: list(csv.DictReader(open(os.path.join(ROOT, v), encoding='utf-8'))) for k, v in CATS.items()}

def entities(sc):
    for name, p in sc.get('params', {}).items():
        yield f'params.{name}', p
    for key in ('regions', 'sectors', 'capacity', 'derived', 'indicators', 'history', 'targets'):
        for i, e in enumerate(sc.get(key, [])):
            yield f'{key}[{e.get("id", i)}]', e
    if 'shocks' in sc:
        yield 'shocks', sc['shocks']
    if 'correlation' in sc:
        yield 'correlation', sc['correlation']

def check(path, plans):
    sc = load(path)
    errs = []
    for where, e in entities(sc):
        src = e.get('source')
        numeric = where != 'targets' and not (where.startswith('targets[') and e.get('status') == 'unmodeled')
        if src is None:
            if numeric:
                errs.append(f'{where}: no source')
        else:
            if not (src.startswith('assumption:') or '「' in src):
                errs.append(f'{where}: source is neither `assumption:` nor a 「quote」')
            for qt in re.findall(r'「(.*?)」', src):
                if squash(qt) not in TEXT['']:
                    errs.append(f'{where}: 「{qt[:40]}…」 not in the national text')
        if 'name' in e:
            if len(e['name']) > 45:
                errs.append(f'{where}: name longer than 45 characters')
            if not e.get('name_zh'):
                errs.append(f'{where}: no name_zh')
    seen = {}
    sc['targets'] = sc.get('targets', []) + included_targets(path, sc)
    for t in sc['targets']:
        tid = t['id']
        seen[tid] = seen.get(tid, 0) + 1
        prefix = tid.split('_', 1)[0] if tid.split('_', 1)[0] in ('ha', 'sd', 'gd') else ''
        if prefix not in plans:
            errs.append(f'targets[{tid}]: prefix not expected in this scenario')
            continue
        if squash(t.get('quote', '')) not in TEXT[prefix] or not t.get('quote'):
            errs.append(f'targets[{tid}]: quote not in {DOCS[prefix]}')
        if t.get('comparator') == 'about' and t.get('band') is None:
            errs.append(f'targets[{tid}]: `about` without band')
        if t.get('status') == 'unmodeled' and not t.get('reason'):
            errs.append(f'targets[{tid}]: unmodeled without reason')
    for tid, n in seen.items():
        if n != 1:
            errs.append(f'target id {tid} appears {n} times')
    stats = {}
    for plan in plans:
        for r in CAT[plan]:
            tid = (plan + '_' if plan else '') + r['id']
            if tid not in seen:
                errs.append(f'catalogue id {r["id"]} ({plan or "national"}) missing as {tid}')
                continue
            t = next(x for x in sc['targets'] if x['id'] == tid)
            st = t.get('status', 'modeled')
            stats.setdefault(plan or 'national', {}).setdefault((r['modelable'], st), 0)
            stats[plan or 'national'][(r['modelable'], st)] += 1
    extra = set(seen) - {(p + '_' if p else '') + r['id'] for p in plans for r in CAT[p]}
    for tid in sorted(extra):
        errs.append(f'target {tid} is not in any catalogue')
    return errs, stats

SCENARIOS = {
    'national_2011_2015.toml': [''],
    'national_2011_2015_fast_elimination.toml': [''],
    'national_2011_2015_weak_growth.toml': [''],
    'china_provinces_2011_2015.toml': ['', 'ha', 'sd', 'gd'],
}

def main():
    bad = 0
    for f, plans in SCENARIOS.items():
        errs, stats = check(os.path.join(HERE, f), plans)
        print(f'{f}: {"ok" if not errs else str(len(errs)) + " problem(s)"}')
        for plan, s in stats.items():
            parts = []
            for m in ('yes', 'partial', 'no'):
                mod = s.get((m, 'modeled'), 0); unm = s.get((m, 'unmodeled'), 0)
                parts.append(f'{m} {mod}/{mod + unm} modeled')
            yp = sum(s.get((m, 'modeled'), 0) for m in ('yes', 'partial'))
            ypt = sum(s.get((m, st), 0) for m in ('yes', 'partial') for st in ('modeled', 'unmodeled'))
            print(f'  {plan:9s} ' + ', '.join(parts) + f'; yes+partial {yp}/{ypt} = {100 * yp / max(ypt, 1):.0f}%')
        for e in errs:
            print('  ' + e)
        bad += len(errs)
    sys.exit(1 if bad else 0)

if __name__ == '__main__':
    main()
