import json, csv, collections, re, sys
sys.path.insert(0, 'scripts')
import gen
S = json.load(open('scripts/summary.json'))
rows = list(csv.DictReader(open('labels.csv')))
L = {(r['call_id'], r['criterion']): r for r in rows}
crits = ['recording_disclosure','pricing_language','discovery_questions','active_listening','objection_handling','next_step']
out = []
out.append('| criterion | pass | fail | na | close | paraphrased | implied | hard-negative (lead note) |')
out.append('|---|---|---|---|---|---|---|---|')
for c in crits:
    lab = collections.Counter(L[(s['call_id'], c)]['label'] for s in S)
    t = collections.Counter()
    for s in S:
        n = L[(s['call_id'], c)]['notes']; first = n.split(';')[0]
        k = 'hard' if first.startswith('hard-negative') else ('close' if first.startswith('close') else 'paraphrased' if first.startswith('paraphrased') else 'implied' if first.startswith('implied') else 'other')
        t[k] += 1
    out.append(f"| {c} | {lab['pass']} | {lab['fail']} | {lab['na']} | {t['close']} | {t['paraphrased']} | {t['implied']} | {t['hard']} |")
print('\n'.join(out)); print()
hn = collections.defaultdict(list)
for r in rows:
    for h in re.findall(r'hard-negative:[a-z-]+', r['notes']): hn[(r['criterion'], h)].append(r['call_id'][-3:] + '=' + r['label'])
print('| criterion | hard negative | calls (label) |'); print('|---|---|---|')
for (c, h), v in sorted(hn.items()): print(f'| {c} | `{h}` | {", ".join(v)} |')
print()
print('| call | file | format | rep | prospect org | extra people | utts | length | rd | pl | dq | al | oh | ns |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
for s in S:
    ex = ', '.join(x for x in [s['p2'] and s['p2'] + ' (2nd prospect)', s['col'] and s['col'] + ' (colleague)'] if x)
    labs = ' | '.join(L[(s['call_id'], c)]['label'] for c in crits)
    d = int(s['dur']); print(f"| {s['call_id']} | `{s['file']}` | {s['fmt']}/{s['var']} | {s['rep']} | {s['firm']} | {ex} | {s['n']} | {d//60}:{d%60:02d} | {labs} |")
# judgement-call lists
alfail_aer = [s['call_id'][-3:] for s in S if L[(s['call_id'],'active_listening')]['label']=='fail' and isinstance(gen.OH[int(s['call_id'][-3:])-1], list) and any(p=='AER' for _,p in gen.OH[int(s['call_id'][-3:])-1])]
print('\nAL-fail calls with an AER response that reuses the prospect\'s point:', ', '.join(alfail_aer))
