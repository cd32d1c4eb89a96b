# Re-read every evidence quote in labels.csv against `callcoach inspect --format jsonl` output.
import csv, json, re, sys, subprocess
out = subprocess.run(['/work/main/.venv/bin/callcoach', 'inspect', 'calls', '--format', 'jsonl'], capture_output=True, text=True)
if out.stderr.strip(): print('inspect stderr:', out.stderr.strip())
calls = {}
for line in out.stdout.splitlines():
    o = json.loads(line); calls[o['call_id']] = o
bad = 0; n = 0
roles = {}
for row in csv.DictReader(open('labels.csv', newline='')):
    c = calls.get(row['call_id'])
    if c is None: print('missing call', row['call_id']); bad += 1; continue
    if not row['evidence']: continue
    for part in row['evidence'].split(' | '):
        n += 1
        m = re.fullmatch(r'(\d\d):(\d\d) (.+?): "(.*)"', part, re.S)
        if not m: print('bad evidence format', row['call_id'], row['criterion'], part); bad += 1; continue
        mm, ss, sp, q = m.groups(); t = int(mm) * 60 + int(ss)
        hits = [u for u in c['utterances'] if u['speaker'] == sp and u['start'] is not None and int(u['start']) == t and q in u['text']]
        if len(hits) != 1:
            print('NOT FOUND', row['call_id'], row['criterion'], part[:120]); bad += 1
for cid, c in sorted(calls.items()):
    ok = c['rep'] in [s['name'] for s in c['speakers'] if s['role'] == 'rep'] or any(s['role'] == 'rep' for s in c['speakers'])
    reps = [s['name'] for s in c['speakers'] if s['role'] == 'rep']
    if len(reps) != 1 or c['warnings'] or c['started_at'] is None: print('CHECK', cid, reps, c['warnings'], c['started_at']); bad += 1
    sp = [u['speaker'] for u in c['utterances']]
    if any(a == b for a, b in zip(sp, sp[1:])): print('consecutive same speaker', cid); bad += 1
    if not (40 <= len(sp) <= 60): print('utterance count', cid, len(sp)); bad += 1
    d = c['utterances'][-1]['end'] or c['utterances'][-1]['start']
    if not (420 <= d <= 600): print('duration', cid, d); bad += 1
print(f'{len(calls)} calls, {n} evidence quotes checked, {bad} problems')
sys.exit(1 if bad else 0)
