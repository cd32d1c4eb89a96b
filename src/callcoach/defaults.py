"""The defaults a team sets once — the store, the time zone, the rubric, the coaching numbers —
and the environment variables that override them, defined in one place.

Each name in `ENV` is the parameter of the commands that take it (`--rubric-id` is
`rubric_id`), so a config file can set any of them by the same key (typer's `default_map` is
keyed that way). A value is taken from, first to last: the option on the command line, its
environment variable, a config file, the default here. The CLI's options (cli/options.py)
read the environment through these names; the library reads it only for the store's default
path (`Store()` without a path) and how long a writer waits for another's lock.
"""
from __future__ import annotations

# parameter name -> environment variable
ENV: dict[str, str] = {
    "db": "CALLCOACH_DB",               # the store
    "tz": "CALLCOACH_TZ",               # the team's time zone (IANA name)
    "rubric_id": "CALLCOACH_RUBRIC_ID",  # which rubric's scores the analytics read
    "lock_wait": "CALLCOACH_LOCK_WAIT",  # seconds a writer waits for another writer's lock
}

DB = "callcoach.db"          # in the working folder
TZ = None                    # None: this machine's zone (callcoach.zones.machine_zone)
LOCK_WAIT = 60.0             # seconds (docs/store.md)

# Choosing what to coach (select, queue, agenda, evidence; DOMAIN.md section 3)
DAYS = 14                    # the window: the rep's most recent 14 days
MIN_CALLS = 3                # fewer scored calls than this: too few to pick a pattern...
CONFIRM_CALLS = 3            # ...and below the pass mark on this many confirms one
REVIEW_RATE = 0.30           # failing more than this share of calls: review 2-3 calls
FRESH_HOURS = 48             # a failed call this recent is fresh: coach first
EVIDENCE_CALLS = 3           # a dispute is settled with three separate calls
EVIDENCE_CONTEXT = 2         # turns either side of a moment

# Did the coaching work (progress; DOMAIN.md section 5)
BASELINE_DAYS = 14
WINDOW_DAYS = 14             # weeks 1-2, then weeks 3-4
MOVED = 5.0                  # points: the smallest change that counts as movement
PROGRESS_MIN_CALLS = 2       # scored calls a progress window needs before it is read
INTERVENTION_DAYS = 30       # two sessions within this many days that moved nothing
