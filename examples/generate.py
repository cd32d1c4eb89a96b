#!/usr/bin/env python3
"""Generate callcoach's bundled example team (and the benchmark corpus) deterministically.

    python examples/generate.py                       # rewrite examples/calls + sessions.csv
    python examples/generate.py --calls 10000 --turns 300 --out /tmp/corpus   # benchmark corpus

The example team is five account executives at Brightwave (accounts-payable automation) and
six weeks of their discovery and demo calls. Every call is composed from banks of paraphrases:
what the rep says depends on the behaviour drawn for that call (asks all five discovery
questions or jumps to pricing, explores an objection or argues with it, books a dated next step
or trails off...). Nothing here writes a score: whatever callcoach reports comes from what is
said. examples/README.md has the answer key.

Same arguments -> byte-identical files: one `random.Random(seed)` per call (seeded from the
run's seed and the call's number), no wall clock, no set iteration, fixed line endings.
"""
from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator, Sequence

SEED = 20261005
HERE = Path(__file__).resolve().parent
FIRST_DAY = date(2026, 10, 5)
LAST_DAY = date(2026, 11, 13)
FORMATS = ("txt", "zoom.vtt", "teams.vtt", "srt", "json")
CRITERIA = ("recording_disclosure", "pricing_language", "discovery_questions",
            "active_listening", "objection_handling", "next_step")

COMPANY = "Brightwave"
TEAM = "Mid-Market East"
MANAGER = "Karen Holloway"
SALES_ENGINEERS = ("Ravi Menon", "Jess Alvarez")


# ------------------------------------------------------------------------------------------
# The team
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rep:
    name: str
    initials: str
    aliases: tuple[str, ...]      # how conferencing tools show them
    weakness: str                 # criterion id
    # fail rate on the weak criterion: before the first session, in the two weeks after it,
    # and in the last two weeks of the period
    weak_rate: tuple[float, float, float]
    sessions: tuple[str, ...] = ()    # ISO dates of logged coaching sessions
    base_fail: float = 0.08       # fail rate on every other criterion


REPS = (
    Rep("Dana Ruiz", "DR", ("Dana R", "Dana Ruiz (Brightwave)"), "discovery_questions",
        (0.85, 0.4, 0.4), ("2026-10-16",)),
    Rep("Marcus Chen", "MC", ("Marcus C", "Marcus Chen | Brightwave"), "next_step", (0.6, 0.6, 0.6)),
    Rep("Priya Natarajan", "PN", ("Priya N", "Priya Natarajan (she/her)"), "objection_handling",
        (0.65, 0.65, 0.65), ("2026-10-09", "2026-10-23")),
    Rep("Tom Becker", "TB", ("Tom B", "Thomas Becker"), "active_listening", (0.6, 0.6, 0.5),
        ("2026-11-06",)),
    Rep("Leah Okafor", "LO", ("Leah O", "Leah Okafor - Brightwave"), "recording_disclosure",
        (0.4, 0.4, 0.4)),
)

SESSION_NOTES = {
    ("Dana Ruiz", "2026-10-16"): "Went to pricing after two questions on both calls; role-played "
                                 "parking the price question until impact and decision process "
                                 "are covered.",
    ("Priya Natarajan", "2026-10-09"): "Argues with price objections; practised acknowledge + one "
                                       "exploring question before responding.",
    ("Priya Natarajan", "2026-10-23"): "Same pattern on vendor objections; re-ran the LAER drill "
                                       "with her own calls.",
    ("Tom Becker", "2026-11-06"): "Rarely plays back what he heard; practised two summaries per "
                                  "call, one after pain and one before the close.",
}


# ------------------------------------------------------------------------------------------
# Prospects
# ------------------------------------------------------------------------------------------
FIRST_NAMES = """Aaron Abigail Adrian Aisha Alan Alicia Amir Ana Andre Angela Ben Beth Brandon
Brianna Carlos Carmen Chris Claire Colin Daniel Deepa Derek Diana Elena Eric Erin Fatima Felix
Gabriel Grace Hannah Hector Ian Irene Jamal Janet Jason Jenna Joel Julia Kareem Katie Kevin Kim
Laura Liam Linda Luis Maya Megan Miguel Monica Nadia Nathan Nina Omar Olivia Paul Rachel Raj
Rebecca Ricardo Rosa Ryan Samir Sandra Scott Sofia Steve Tanya Tim Valerie Victor Wendy Yusuf
Zoe""".split()
LAST_NAMES = """Abbott Alvarado Andersen Baker Banerjee Barnes Bishop Brennan Caldwell Castillo
Chang Clarke Cohen Dawson Delgado Dunn Eriksen Farrell Fischer Flores Gallagher Garcia Gupta
Hale Hartman Hoffman Ibrahim Jensen Kaplan Kowalski Larsen Lindqvist Lopez Maddox Marino Mensah
Moreno Murphy Nakamura Novak O'Brien Ortiz Patel Pearson Quinn Ramirez Reyes Rossi Sato Schmidt
Shah Sullivan Tanaka Torres Vance Walsh Weber Whitaker Yamamoto Zielinski""".split()
TITLES = ("Controller", "AP Manager", "VP of Finance", "Director of Finance", "CFO",
          "Finance Operations Lead", "Assistant Controller", "Head of Accounting")
DECIDERS = ("our CFO", "the CFO", "our VP of Finance", "the owner", "our COO", "the board",
            "our finance committee", "our president")
COMPANY_STEMS = ("Harbor Point", "Blue Ridge", "Cedar Lane", "Northgate", "Ironwood", "Silver Creek",
                 "Bayview", "Redstone", "Summit Peak", "Oak Hollow", "Lakeshore", "Granite State",
                 "Riverbend", "Highland", "Westfield", "Pinecrest", "Eastbrook", "Copperline",
                 "Meridian", "Foxglove", "Crescent", "Keystone", "Brightwater", "Stonebridge",
                 "Willow Bay", "Timberline", "Harborview", "Greenfield", "Coastal Ridge", "Maplewood",
                 "Fairhaven", "Northstar", "Sunrise Valley", "Hollis", "Tidewater", "Kingsbury",
                 "Alder", "Birchwood", "Canyon", "Driftwood", "Elmhurst", "Falcon", "Glenmore")
INDUSTRIES = {
    "logistics": ("Logistics", "Freight", "Transport", "Distribution"),
    "dental": ("Dental Group", "Dental Partners", "Family Dentistry"),
    "construction": ("Builders", "Construction", "Contracting"),
    "food": ("Foods", "Provisions", "Food Service"),
    "property": ("Property Management", "Realty", "Residential"),
    "manufacturing": ("Manufacturing", "Industries", "Fabrication"),
    "healthcare": ("Health", "Medical Group", "Clinics"),
    "hospitality": ("Hotels", "Hospitality Group", "Resorts"),
    "nonprofit": ("Foundation", "Community Services", "Alliance"),
    "software": ("Software", "Labs", "Analytics"),
}
TOOLS = ("Excel and a shared inbox", "QuickBooks", "NetSuite", "Sage Intacct", "an old Access database",
         "Tallyworks", "PayHarbor", "Dynamics GP", "Xero")
COMPETITORS = ("Tallyworks", "PayHarbor", "Ledgerline", "Apexa")
PAINS = ("approvals", "data_entry", "late_fees", "close", "visibility", "duplicates")
CITIES = ("Boston", "Hartford", "Philadelphia", "Pittsburgh", "Baltimore", "Richmond", "Raleigh",
          "Charlotte", "Albany", "Providence", "Newark", "Columbus", "Buffalo", "Atlanta")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
TIMES = ("9", "9:30", "10", "10:30", "11", "1", "1:30", "2", "2:30", "3", "3:30", "4")


@dataclass
class Account:
    company: str
    industry: str
    city: str
    contacts: list[tuple[str, str]]     # (name, title)
    tool: str
    competitor: str
    team: int                           # AP team size
    volume: int                         # invoices a month
    pain: str
    decider: str
    hours: int                          # hours a month lost
    deadline: str


# Every name the banks can make (1,333). Up to that many accounts get a plain name each; the
# benchmark corpus wants up to 2,000, so once every plain name is taken a drawn name becomes a
# branch ("... of Boston"): the draws before that point, and so the example team's files, are
# exactly as they were.
COMPANY_NAMES = frozenset(f"{stem} {suffix}" for stem in COMPANY_STEMS
                          for suffixes in INDUSTRIES.values() for suffix in suffixes)


def branch_name(company: str, used: set[str]) -> str:
    """The first `company of CITY` (then `company of CITY 2`, ...) not in `used`."""
    for k in itertools.count(1):
        for city in CITIES:
            name = f"{company} of {city}" + (f" {k}" if k > 1 else "")
            if name not in used:
                return name
    raise AssertionError("unreachable")


def make_account(rng: random.Random, used: set[str]) -> Account:
    """A new prospect account whose company name is not in `used` (and is added to it)."""
    while True:
        industry = rng.choice(sorted(INDUSTRIES))
        company = f"{rng.choice(COMPANY_STEMS)} {rng.choice(INDUSTRIES[industry])}"
        if company not in used:
            break
        if len(used) >= len(COMPANY_NAMES) and COMPANY_NAMES <= used:
            company = branch_name(company, used)
            break
    used.add(company)
    contacts = []
    for title in rng.sample(TITLES, 2):
        contacts.append((f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", title))
    team = rng.choice((2, 3, 4, 5, 6, 8, 12))
    return Account(company, industry, rng.choice(CITIES), contacts, rng.choice(TOOLS),
                   rng.choice(COMPETITORS), team, team * rng.choice((300, 400, 550, 700)),
                   rng.choice(PAINS), rng.choice(DECIDERS), rng.choice((20, 30, 40, 60, 80, 120)),
                   rng.choice(("before year-end", "by January first", "before our audit in March",
                               "in Q1", "before the new ERP goes live", "sometime next spring")))


# ------------------------------------------------------------------------------------------
# Banks of what people say. Braces are filled from the account; lists are picked at random.
# ------------------------------------------------------------------------------------------
def pick(rng: random.Random, bank: Sequence[str], **slots) -> str:
    text = rng.choice(bank)
    return text.format(**slots) if slots and "{" in text else text


BACKCHANNEL = ("Mm-hmm.", "Yeah.", "Right.", "Okay.", "Sure.", "Yep.", "Got it.", "Uh-huh.",
               "Yeah, yeah.", "Okay, cool.", "Interesting.", "Right, right.", "Oh, wow.")
PREFACE = ("", "", "", "So ", "Okay, so ", "Got it. ", "Cool. ", "Right. And ", "I'm curious, ",
           "Quick one, ", "Okay. ", "I mean, honestly, ", "Um, ", "And, uh, ", "Sure, sure. ",
           "Kind of a broad question, but ", "Totally. ")

GREETING_REP = ("Hey {p}, can you hear me okay?", "Hi {p}! Thanks for hopping on.",
                "Hey {p}, good to finally put a face to the name.", "Hi {p}, how's it going?",
                "Morning {p}! Or, well, almost afternoon.", "Hey there {p}, thanks for making time.")
GREETING_PROSPECT = ("Yeah, I can hear you fine.", "Hi, yeah, doing well, thanks.",
                     "Hey! Sorry, I was just finishing another meeting.", "Good, good. How are you?",
                     "Hi there. Yeah, all good on my end.", "Hey, thanks for sending the invite.")
SMALL_TALK = (
    ("How's the weather up in {city}? We've had nothing but rain all week.",
     "Oh, it's cold. First real cold snap this week, honestly I'm not ready for it.",
     "Ha, yeah. Same here. I had to dig out the winter coat."),
    ("Did you get up to anything fun this weekend?",
     "Not really, kids had soccer, so mostly standing on the sidelines with a coffee.",
     "That's the dream though, right? Coffee and a folding chair."),
    ("Sorry, give me one sec, my screen just froze.",
     "No worries, take your time.",
     "Okay, I think I'm back. Can you still hear me?"),
    ("Is that a dog I hear in the background?",
     "Oh god, yes, sorry. That's Biscuit. He has opinions about the mail carrier.",
     "Ha, no, I love it. Mine does the exact same thing."),
    ("Are you guys all back in the office now, or still hybrid?",
     "Hybrid, three days in. Today's a home day, so excuse the bookshelf.",
     "Ha, the bookshelf looks great, very professional."),
    ("Did you catch the game last night?",
     "I did, well, the first half. I fell asleep, honestly.",
     "Ha, you didn't miss much in the second half, trust me."),
    ("Any plans for Halloween? My kids have been planning costumes since August.",
     "Oh, we're doing the whole thing, my daughter wants to be a taco this year.",
     "A taco! That's amazing."),
    ("You're a little choppy on my end, are you on wifi?",
     "Yeah, sorry, let me turn my video off, see if that helps.",
     "That's much better, thanks."),
    ("How's your week going so far?",
     "Busy. It's month-end close, so, you know. Everyone's a bit frazzled.",
     "Oof, yeah, I'll try to keep us on time then."),
)

# Approved recording notices (they use the rubric's wordings, as legal requires) and the
# ways a rep gets it wrong.
DISCLOSURE = (
    "Oh, before we dive in, just so you know, this call is being recorded, mostly so I can "
    "focus on you instead of typing.",
    "Quick bit of housekeeping: this call is recorded for training and for my notes, hope "
    "that's alright.",
    "Just a heads-up, we record all our calls, so I'll have the notes afterwards.",
    "And I should mention, I'm recording the call today so I don't miss anything. That okay?",
    "One thing before we start, this meeting is being recorded, just for our internal notes.",
    "Also, we record our calls here, mostly for coaching. Is that alright with you?",
)
DISCLOSURE_OK = ("Yeah, that's fine.", "Sure, no problem.", "Totally fine.", "Yep, go for it.",
                 "Of course, that's fine with me.")
DISCLOSURE_WRONG = (
    "Oh, and my AI notetaker is on, just so you know, it writes up the summary.",
    "I've got the notetaker running in the background, hope that's cool.",
    "Just so you know, my assistant bot is taking notes for me today.",
)
DISCLOSURE_LATE = (
    "Oh shoot, I should have said this at the start, this call is being recorded. Sorry, is "
    "that okay?",
    "Sorry, I completely forgot to mention, we record all our calls. Is that alright?",
)

AGENDA = ("So the plan for today: I'd love to learn how things work on your side, and then if "
          "it makes sense I can show you a bit of what we do. Sound good?",
          "I was thinking we'd spend most of the time on your world, and save the last ten "
          "minutes or so for questions. Does that work?",
          "My goal today is really just to understand what you're dealing with, and see if "
          "there's even a fit. Fair?",
          "So I blocked thirty minutes. Mostly I want to hear from you, and I'll keep the "
          "slides to a minimum, promise.")
AGENDA_OK = ("Sounds good.", "Yeah, that works.", "Perfect.", "Works for me.",
             "Great, yeah, that's what I was hoping.")

# -- the five discovery questions ---------------------------------------------------------
QUESTIONS = {
    "current_process": (
        "walk me through how you handle invoices today, start to finish?",
        "how are you handling invoices today, start to finish?",
        "what does your process look like today, roughly?",
        "how does your team handle approvals at the moment?",
        "what are you using today to manage all of this?",
        "how do invoices get from the inbox to paid today, roughly?",
        "who touches an invoice from start to finish, today?",
        "how do you guys do it right now, is it mostly manual?",
        "what's the current setup look like, tools-wise?",
    ),
    "pain_points": (
        "what's the most frustrating part of how you do it today?",
        "where does it usually break down?",
        "where do things tend to get stuck?",
        "what's not working the way you'd like it to?",
        "what made you want to take this call in the first place?",
        "what's the biggest headache in that whole process?",
        "if you could fix one thing about it tomorrow, what would it be?",
        "what's the part that frustrates the team the most?",
    ),
    "business_impact": (
        "what does that end up costing you, roughly?",
        "how many hours a month would you say the team loses to that?",
        "what's the impact on the business when that happens?",
        "if nothing changes, what happens over the next year?",
        "how does that show up in the numbers, late fees, overtime, that kind of thing?",
        "have you put a number on what that's costing you?",
        "what would it be worth to you to get that fixed?",
    ),
    "decision_process": (
        "who else would be involved in a decision like this?",
        "how do decisions like this usually get made on your side?",
        "who'd need to sign off on something like this?",
        "besides you, who needs to be on board?",
        "who approves a new purchase like this on your side?",
        "is this your call, or does it go up to someone else to sign off?",
        "who else should we loop in before the next conversation?",
    ),
    "timeline_budget": (
        "is there a date you're working towards?",
        "when would you want something like this live?",
        "have you set aside budget for this, or is that still open?",
        "is there a budget range you're working with?",
        "is this something you need solved this quarter, or more next year?",
        "what kind of timeline are we working with here?",
        "when do you need this in place by?",
    ),
}
DEMO_RECAP = ("Before Ravi jumps in, can I just check a few things from last time?",
              "Before we get into the demo, I want to make sure nothing's changed since we spoke.",
              "Quick recap first, just so we're showing you the right stuff.")

PAIN_TEXT = {
    "approvals": "approvals just sit in people's inboxes. A manager goes on vacation and fifty "
                 "invoices are stuck",
    "data_entry": "it's all keyed in by hand. {team} people typing invoice numbers into {tool}, "
                  "all day",
    "late_fees": "we keep missing payment dates, and vendors are getting annoyed. We paid late "
                 "fees three months in a row",
    "close": "month-end close takes us almost two weeks, because nobody knows what's "
             "been approved and what hasn't",
    "visibility": "I have zero visibility. If the CFO asks what we owe next week, it's a "
                  "half-day exercise to find out",
    "duplicates": "we've paid the same invoice twice more than once. Last quarter it was a "
                  "forty thousand dollar duplicate",
}
REFLECT = {
    "approvals": "the typing isn't really the problem, it's the approvals sitting in inboxes",
    "data_entry": "your team is spending most of the week on manual entry",
    "late_fees": "the late payments are starting to hurt vendor relationships",
    "close": "the approval status is what drags out your close",
    "visibility": "you can't see what you owe without a lot of digging",
    "duplicates": "the duplicates are what's really keeping you up at night",
}
ANSWERS = {
    "current_process": (
        "So invoices come into a shared inbox, someone prints them, honestly, and then they go "
        "into {tool}. Approvals are by email.",
        "Right now it's mostly {tool}. We've got {team} people on AP, they key everything in "
        "and then chase approvals.",
        "It's pretty manual. Vendor emails a PDF, we save it to a folder, enter it in {tool}, "
        "and then walk it over to whoever needs to approve it.",
        "We use {tool} for the books, but the approval part is all email and, um, a "
        "spreadsheet that Linda maintains.",
        "Oh boy. Okay. So there's a shared mailbox, ap@, and about {volume} invoices a month "
        "hit it. {team} of us split them up by vendor.",
    ),
    "pain_points": tuple(
        f"{lead}{body}." for lead in ("Honestly, ", "I mean, ", "The big one is ", "Oh, easy. ",
                                     "Ugh. So ")
        for body in ("{pain}",)),
    "business_impact": (
        "I'd say we lose {hours} hours a month, easily. That's basically a part-time person.",
        "It's hard to say exactly. Maybe {hours} hours a month of somebody's time, plus the "
        "late fees.",
        "Well, the audit last year flagged it, so there's that. And the team is doing overtime "
        "every month-end.",
        "If nothing changes, honestly, I'm going to lose people. Two of my team are already "
        "looking, I think.",
        "We haven't put a real number on it. Probably {hours} hours a month, if I had to guess.",
    ),
    "decision_process": (
        "It'd be me and {decider}. {decider_cap} signs anything over ten grand.",
        "I'd make the recommendation, but {decider} would have the final say.",
        "IT would want to look at it for security, and then {decider} signs off.",
        "Me, mostly. But I'd want {contact2} on the next call, they run the day-to-day.",
        "It goes to {decider}. We did the same thing with our expense tool last year.",
    ),
    "timeline_budget": (
        "Ideally {deadline}. That's when things get crazy for us.",
        "We'd want it live {deadline}, if we can.",
        "Budget's not locked yet, but there's money in next year's plan for finance tooling. "
        "Timing-wise, {deadline}.",
        "There is some budget, yeah. We were hoping to have it {deadline}.",
        "Honestly, sooner rather than later. {deadline_cap} would be great.",
    ),
}
FOLLOWUP = {
    "current_process": (
        ("And roughly how many invoices a month are we talking?",
         "Around {volume}, give or take. More at quarter-end."),
        ("Is that the same across all your locations?",
         "Two of the locations are fine. The others are, uh, creative, let's say."),
        ("And who does the coding, the GL coding?",
         "The AP team does a first pass, and then the approvers are supposed to check it. "
         "Supposed to."),
        ("Do vendors ever send paper?",
         "Oh yeah. Some of our older vendors still mail them in. It's 2026, I know."),
    ),
    "pain_points": (
        ("How long has it been like that?",
         "Since we grew past a couple hundred people, I'd say. It just didn't scale."),
        ("What have you tried so far to fix it?",
         "We tried a shared tracker in Excel, but nobody kept it up to date after the first "
         "month."),
        ("And who usually catches it when it goes wrong?",
         "Honestly, nobody, until a vendor calls us asking where their money is."),
        ("Is it worse at month-end?",
         "Much worse. The last week of the month is basically all hands on deck."),
    ),
    "business_impact": (
        ("Does that include the overtime at close?",
         "No, that's on top. We paid a fair bit of overtime last quarter."),
        ("And has leadership noticed?",
         "The CFO definitely noticed after the audit comment, yeah."),
        ("What about the vendors, any fallout there?",
         "One of our bigger suppliers put us on prepay for a month. That was not fun."),
    ),
    "decision_process": (
        ("Have you bought software like this before?",
         "We bought an expense tool two years ago. That took about three months, start to "
         "finish."),
        ("Does IT need to be involved?",
         "They'll want to do a security review, yeah. They always do."),
        ("Is procurement part of it?",
         "Only if it's over fifty thousand a year. Otherwise it's just us."),
    ),
    "timeline_budget": (
        ("What happens if it slips past that?",
         "Then it probably waits until after the audit, so, late spring."),
        ("Is anything else competing for that budget?",
         "The ERP upgrade, maybe. But that's mostly IT's money."),
        ("And is that a hard date?",
         "Hard-ish. Let's say it's the date my boss keeps mentioning."),
    ),
}
TANGENT = (("Oh, funny story actually, last month we found a stack of invoices in a drawer. "
            "Like, a physical drawer.", "No way. How old were they?",
            "Three months, some of them. We had to call every vendor and apologize."),
           ("Sorry, my colleague is messaging me, one sec. Okay, ignore that.",
            "No worries at all.", "Where was I? Right."),
           ("I'll be honest, part of why I'm looking is I'm tired of being the person who "
            "knows where everything is.", "Ha, the human database.",
            "Exactly. And I'd like to take a vacation at some point."),
           ("Our auditors actually asked about this last year, which, you know, was not a great "
            "conversation.", "Oof. What did they flag?",
            "Mostly that there was no consistent approval trail. Emails everywhere."),
           ("We looked at something like this maybe three years ago but it didn't go anywhere.",
            "What happened?",
            "Honestly, the person driving it left, and it just died. Classic."))
# Situation questions: useful context, but none of the five discovery steps.
SITUATION = (("How many entities are you running, just the one?",
              "Three, actually. Two here and a small one in Canada, which is its own headache."),
             ("Do you use purchase orders, or is it mostly non-PO spend?",
              "Mostly non-PO. Maintenance and supplies, lots of small vendors."),
             ("And how do you pay vendors today, check, ACH?",
              "Mostly ACH now, but we still cut maybe forty checks a week. Don't ask."),
             ("How many approvers are there, roughly?",
              "Thirty-ish? Every location manager, plus department heads."),
             ("Are your vendors mostly recurring, or a lot of one-offs?",
              "Maybe seventy percent recurring. The rest is a long tail."),
             ("Is the team all in one place, or spread out?",
              "Two of us here, the rest are remote. One's in Arizona, so, time zones."),
             ("Do the location managers code their own invoices?",
              "They're supposed to. In practice they send us a photo and a shrug."),
             ("What does month-end look like for you, how many days to close?",
              "Ten business days on a good month. Twelve if something breaks."),
             ("Who owns the vendor master file?",
              "Technically me. Realistically, whoever added the vendor last."),
             ("Do you do any 1099 reporting out of {tool}?",
              "Yes, and every January it's a scramble to find the W-9s."),
             ("How are approvals handled when someone's on vacation?",
              "They're not, honestly. Things just wait until they're back."),
             ("Is there an internal audit team, or is it all external?",
              "External only. They come in March, and they always ask for the approval trail."))
ROLE_Q = ("Before I start firing questions at you, tell me a bit about your role?",
          "Could you give me the quick version of your role and the team?",
          "How long have you been at {company}, by the way?")
ROLE_A = ("Sure. I'm the {title} here, been at {company} about four years. I've got {team} people "
          "on the AP side reporting to me.",
          "Yeah, so I'm {title}. I came over from a Big Four firm, so I'm, um, used to things "
          "being a bit more structured than they are here, let's say.",
          "Going on six years now. I started as a staff accountant, and now I'm the {title}, "
          "so I've seen the whole evolution.",
          "I'm the {title}. We're about {people} people across {locations} locations, and "
          "finance is, well, small for that size.")
OVERVIEW = ("So, really quickly, what we do: Brightwave takes invoices from the moment they hit "
            "your inbox, reads them, routes them for approval, and syncs everything to {tool}.",
            "Most of our customers are finance teams about your size, in {industry} actually, "
            "a handful of them.",
            "The piece people usually care about first is approvals. Approvers get a one-tap "
            "approval on their phone, and you can see where everything is.",
            "And then payments, if you want them. ACH, virtual card, check if you really must.",
            "We're not an ERP, to be clear. We sit on top of {tool} and keep it clean.")
OVERVIEW_Q = ("How long does it usually take to get set up?", "Does it work with {tool}?",
              "Do the approvers need a license?", "What does the vendor see?",
              "How do you handle security, like SSO?")
OVERVIEW_A = ("Usually four to six weeks, depending on how messy your GL is.",
              "Yes, we've got a native sync. Most of our customers run it.",
              "They do, but it's a lighter license. We can get into that later.",
              "Nothing, unless you turn on the vendor portal.",
              "We do SAML single sign-on, and we're SOC 2 Type II.")
REFLECT_STEP = {
    "current_process": ("invoices come in by email, get keyed into {tool}, and approvals happen "
                        "over email",
                        "your team of {team} is doing most of this by hand today"),
    "business_impact": ("you're losing something like {hours} hours a month, on top of the "
                        "late fees",
                        "the manual work eats the team's week, and some vendor goodwill with it"),
    "decision_process": ("it's your recommendation, but {decider} makes the final call",
                         "IT reviews it and then {decider} signs off"),
    "timeline_budget": ("the goal is to be up and running {deadline}, with money from next year's "
                        "plan", "the timing matters more to you than the number"),
}
NON_REFLECT = ("Got it, okay.", "Okay, makes sense.", "Cool, cool.", "Yeah, that tracks.",
               "Okay. Next thing I wanted to ask.", "Right, okay.")

# -- objections ---------------------------------------------------------------------------
OBJECTIONS = {
    "price": ("Honestly, that's more than we were hoping to spend.",
              "Yeah, I mean, that sounds expensive for a team our size.",
              "Hmm. That's a lot more than we pay for {tool} today.",
              "I'll be honest, that number's going to be a tough sell internally."),
    "vendor": ("To be fair, we're pretty happy with {tool} right now.",
               "We already have a tool that sort of does this, honestly.",
               "I mean, {tool} works fine for us. I'm not sure we need another system."),
    "priority": ("Honestly, this isn't really a priority for us right now.",
                 "I'm not sure we have the bandwidth to roll out something new this year.",
                 "We've got the audit coming, so honestly this isn't a priority right now."),
    "boss": ("I'd need to check with my boss before anything, to be honest.",
             "I'd have to run it by {decider} first, I can't commit to anything.",
             "Yeah, I'd need to check with my boss on this one."),
}
ACK = ("That's a fair concern, honestly.", "I completely understand where you're coming from.",
       "Yeah, that makes total sense.", "I appreciate you being upfront about that.",
       "I hear you on that.", "Totally fair. A lot of teams told us the same thing.",
       "No, that's fair, I'd probably feel the same.")
EXPLORE = {
    "price": ("Can I ask what's driving that, is it the total or the timing?",
              "When you say it's expensive, what are you comparing it to?",
              "Help me understand what's behind that, is it the per-seat piece?"),
    "vendor": ("What's working well with your current setup?",
               "Can I ask what you like most about your current setup?",
               "Help me understand what's behind that, what would you hate to lose?"),
    "priority": ("What would need to be true for this to become a priority?",
                 "Can I ask what's driving that, is it the audit or just bandwidth?",
                 "Help me understand what's behind that, what's ahead of this on the list?"),
    "boss": ("Totally. What would your boss want to see before saying yes?",
             "What would {decider} want to see from us?",
             "Help me understand what's behind that, how do they usually weigh these?"),
}
ELABORATE = {
    "price": ("It's the per-seat thing. We've got people who'd only approve twice a month.",
              "Mostly timing. The budget for next year isn't set.",
              "We pay a flat fee for {tool}, so anything per-seat looks scary."),
    "vendor": ("It's what everyone knows. Nobody wants to learn a new system.",
               "The reporting is fine, honestly. It's just the approvals that are clunky.",
               "We spent a year implementing it, so there's some fatigue."),
    "priority": ("We've got the audit in March, that's the big one.",
                 "The ERP project is eating everyone's time right now.",
                 "Honestly, just bandwidth. We're short two people."),
    "boss": ("Numbers, mostly. What we'd save, and how long it takes to set up.",
             "A business case. They'll ask about payback before anything else.",
             "They'll want to know IT is comfortable with security."),
}
RESPOND = ("Based on what you just told me, it might make sense to start with just the "
           "approvers who need it, and expand later.",
           "What other teams in your position found is that the approval piece alone paid "
           "for the rollout within a couple of quarters.",
           "The way most of our customers look at it is hours saved per month against the "
           "seat cost, and with {hours} hours a month that math tends to work.",
           "One option would be to start with a smaller rollout, just one entity, and "
           "prove it out before the audit.",
           "What if we put together a business case for your boss, with your own numbers in "
           "it? I can draft it this week.",
           "The reason teams switch is usually exactly that, the approvals, and it plugs into "
           "{tool}, so nobody has to learn a new ledger.")
RESPOND_OK = ("Yeah, that could work.", "Okay, I'd be open to that.", "Hm. Let me think about it.",
              "That's actually helpful, yeah.", "Okay, send that over.")
# Pushing back or pitching past the objection: no acknowledgement, no question.
REBUT = ("Well, actually we're a lot cheaper than {competitor} once you count implementation.",
         "I'd push back on that a little, {tool} really wasn't built for approvals.",
         "Most teams say that and then regret waiting another year, to be honest.",
         "So the thing is, with Brightwave you get capture, approvals and payments in one, so "
         "it's not really apples to apples.",
         "Right, but you'd be saving way more than that on late fees alone.",
         "Sure, but the longer you wait the worse the backlog gets.",
         "Let me just show you the approval screen, I think it'll change your mind.")
REBUT_REPLY = ("Mm, maybe.", "I don't know, we'll see.", "Okay.", "Sure, I guess.",
               "I hear you, but still.", "Hm.")
PITCH_ON = ("And on top of that, the mobile app lets approvers sign off from anywhere.",
            "Plus the OCR catches about ninety-five percent of fields automatically.",
            "And the sync with {tool} runs every fifteen minutes, both ways.",
            "Also, onboarding is about four weeks, start to finish.")

# -- pricing (the sequence's cut-off) -------------------------------------------------------
PRICING = ("So pricing-wise, our plans start at {price} per seat per month.",
           "Let me walk you through the plans real quick, so you've got a sense of cost.",
           "Our pricing starts at {price} a seat, billed annually.",
           "For a team your size it'd be the Professional plan, which comes in at about {price} "
           "per user per month.",
           "Let me just show you the packages so you can see what's in each one.",
           "The list price is {price} per seat, and there's a one-time implementation fee.")
PRICE_ASK = ("So what does something like this cost, roughly?", "Can you give me a ballpark on price?",
             "Before we go further, what are we talking about cost-wise?")
PRICE_DEFER = ("Totally fair question, and I'll get you a real number. Can I ask a couple more "
               "things first so it's not a made-up figure?",
               "I'll get to that, promise. It depends a lot on the next couple of questions.")
FORBIDDEN = ("Honestly, it's guaranteed to cut your close time in half.",
             "And look, it's basically risk free, you can cancel whenever.",
             "We'll beat any price you've been quoted, just send it over.",
             "It pretty much pays for itself in the first quarter, I guarantee it.",
             "We're the lowest price on the market for what you get, hands down.")

# -- demo and general talk (the bulk of long calls) ---------------------------------------
DEMO_REP = ("So this is the inbox view. Everything that hits your ap@ address lands here.",
            "The OCR pulls the vendor, the amount, the due date, and the line items.",
            "If a field's low-confidence it gets highlighted in yellow, so someone can check it.",
            "Approval rules are just if-then. Over five grand goes to the controller, say.",
            "This is what an approver sees on their phone. One tap, done.",
            "And here's the sync status with {tool}. Green means it posted.",
            "Duplicates get flagged before they're approved, not after they're paid.",
            "You can see every invoice's history here, who touched it and when.",
            "This dashboard is what most controllers live in during close.",
            "Payments can go out by ACH or virtual card, and the card ones earn rebates.",
            "Let me click into this one so you can see the audit trail.",
            "So that's the core flow. Capture, code, approve, pay.")
DEMO_SE = ("I'll share my screen, give me one second. Can everyone see my browser?",
           "So under the hood the sync with {tool} is API-based, no flat files.",
           "We support multi-entity, so each location can have its own approval chain.",
           "Single sign-on is there, we do SAML with Okta and Azure AD.",
           "Permissions are role-based, so an approver only sees their own queue.",
           "Implementation is usually about four weeks. Week one is mostly mapping your GL codes.",
           "The data's hosted in the US, and we're SOC 2 Type II.")
DEMO_Q = ("Does it handle POs, like a two-way match?", "What happens if the approver is out?",
          "Can we keep our own GL codes?", "How does it deal with credit memos?",
          "Is there an audit log we could give to our auditors?",
          "Can it handle vendors that send paper invoices?",
          "What does the vendor see, if anything?", "Does it work on Android too?")
DEMO_A = ("Yep, two-way and three-way. You set the tolerance.",
          "You set a delegate, so it goes to their backup automatically.",
          "Yes, we pull them straight from {tool}.",
          "Credit memos get applied against the open invoices for that vendor.",
          "Yes, that's one of the most used reports, actually.",
          "We give you a scanning address, or you can forward a photo.",
          "Nothing, unless you turn on the vendor portal.",
          "Yes, iPhone and Android.")
OFF_TOPIC = (("Sorry, someone just walked in. One sec.", "No problem.",
              "Sorry about that. Where were we?"),
             ("Sorry, you cut out there for a second.", "Oh, can you hear me now?",
              "Yep, you're back."),
             ("Hang on, my laptop's about to die, let me grab the charger.", "Ha, take your time.",
              "Okay, I'm plugged in. Sorry."),
             ("Sorry, I'm getting a bit of an echo.", "Is that better? I switched to my headset.",
              "Much better, thanks."),
             ("Random question, are you the same Brightwave that sponsored the CFO summit?",
              "Ha, yes, that was us. Were you there?",
              "I was! The coffee was terrible, but the panels were good."))
INTERRUPT = ("Sorry, go ahead.", "No, you go.", "Sorry, you were saying?")

# -- the close ----------------------------------------------------------------------------
NEXT_STEP = ("Can we get thirty minutes on the calendar {day} at {time} with {contact2}?",
             "How does {day} at {time} look for the demo? I'll bring Ravi along.",
             "I'll put a hold on your calendar for {day} morning, say {time}, and you can move it.",
             "Let's lock in a time before we hang up. Does {day} at {time} work?",
             "Does {day} at {time} work for the follow-up with {decider}?",
             "Can we book the technical deep dive for next {day} at {time}?")
NEXT_STEP_OK = ("{day} at {time} works.", "Yeah, {day} should be fine.",
                "Let me check. Yep, I'm free then.", "That works. Send it over.")
NEXT_STEP_CONFIRM = ("Perfect, I'll send the invite over right after this.",
                     "Great, invite's coming your way in a minute.",
                     "Awesome, you'll have it in your inbox before we hang up.")
VAGUE_CLOSE = ("Cool, well, I'll shoot you an email with some stuff.",
               "Let me know what you think and we'll go from there.",
               "Feel free to reach out whenever you're ready.",
               "We'll circle back once you've had a chance to talk internally.",
               "I'll send over some materials and you can take a look when you get a minute.",
               "Sounds like you've got a lot going on, so just ping me whenever.")
VAGUE_OK = ("Sounds good.", "Will do.", "Okay, yeah.", "Sure thing.")
GOODBYE_REP = ("Thanks so much for your time today, {p}.", "Really appreciate it, {p}. Talk soon.",
               "Great chatting, {p}. Have a good rest of your week.",
               "Thanks again, enjoy the rest of your day.")
GOODBYE_PROSPECT = ("Thanks, you too.", "Take care, bye.", "Thanks, bye now.",
                    "Appreciate it. Talk soon.")


# ------------------------------------------------------------------------------------------
# Composing a call
# ------------------------------------------------------------------------------------------
@dataclass
class Turn:
    speaker: str
    text: str
    start: float
    end: float


@dataclass
class Behaviour:
    """What the rep does on this call, one flag per criterion (True = does it right)."""

    disclosure: str = "ok"        # ok | missing | late | wrong
    discovery: bool = True
    listening: bool = True
    objections: bool = True
    next_step: bool = True
    clean_pricing: bool = True
    min_objections: int = 0       # the prospect objects at least this often


class Call:
    """Builds the turns with their timing as it goes, so a window ("first 120 s") can be
    respected or missed on purpose."""

    def __init__(self, rng: random.Random, speakers: dict[str, str]):
        self.rng = rng
        self.speakers = speakers               # key -> display name
        self.rate = {k: rng.uniform(2.3, 2.9) for k in speakers}   # words per second
        self.turns: list[Turn] = []
        self.t = rng.uniform(0.5, 6.0)

    def say(self, who: str, text: str, *, pause: float | None = None) -> None:
        rng = self.rng
        words = len(text.split())
        gap = pause if pause is not None else (rng.uniform(0.2, 1.1) if rng.random() < 0.85
                                              else rng.uniform(1.5, 4.0))
        start = self.t + gap
        end = start + words / self.rate[who] + rng.uniform(0.1, 0.5)
        self.turns.append(Turn(who, text, round(start, 2), round(end, 2)))
        self.t = end

    def interrupted(self, who: str, text: str, by: str, text2: str) -> None:
        """`who` is cut off mid-sentence by `by`."""
        words = text.split()
        cut = " ".join(words[:max(3, len(words) // 2)]) + "--"
        self.say(who, cut)
        self.t -= 0.4                       # overlap: they start before the cut-off ends
        self.say(by, text2, pause=0.0)


def cap(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


def q(rng: random.Random, step: str) -> str:
    preface = rng.choice(PREFACE)
    body = rng.choice(QUESTIONS[step])
    # "Got it. What ..." but "So what ..."
    return cap(preface + (cap(body) if preface.rstrip().endswith((".", ",")) and
                          preface.rstrip().endswith(".") else body))


def slots(acc: Account, rng: random.Random) -> dict[str, str]:
    decider = acc.decider
    return dict(p=acc.contacts[0][0].split()[0], contact2=acc.contacts[1][0].split()[0],
                title=acc.contacts[0][1], company=acc.company, industry=acc.industry,
                tool=acc.tool, competitor=acc.competitor, team=str(acc.team),
                people=str(acc.team * 60), locations=str(2 + acc.team // 2),
                volume=f"{acc.volume:,}", hours=str(acc.hours), decider=decider,
                decider_cap=cap(decider), deadline=acc.deadline, deadline_cap=cap(acc.deadline),
                city=acc.city, price=rng.choice(("39", "45", "49", "55")),
                day=rng.choice(WEEKDAYS), time=rng.choice(TIMES),
                pain=PAIN_TEXT[acc.pain].format(team=acc.team, tool=acc.tool))


def compose(rng: random.Random, acc: Account, call_type: str, b: Behaviour,
            se: str | None, target_turns: int | None = None) -> Call:
    """One call's turns. Speaker keys: rep, p1 (main prospect), p2 (second prospect), se."""
    speakers = {"rep": "rep", "p1": "p1"}
    demo = call_type == "demo"
    if demo and rng.random() < 0.5:
        speakers["p2"] = "p2"
    if se:
        speakers["se"] = "se"
    c = Call(rng, speakers)
    s = slots(acc, rng)
    prospects = [k for k in ("p1", "p2") if k in speakers]

    def prospect() -> str:
        return prospects[0] if len(prospects) == 1 or rng.random() < 0.7 else prospects[1]

    def fmt(bank: Sequence[str]) -> str:
        return pick(rng, bank, **s)

    def rep_says(text: str) -> None:
        """The rep's next turn, sometimes opened with a backchannel ("Yeah. So ...")."""
        if rng.random() < 0.3:
            text = rng.choice(BACKCHANNEL) + " " + text
        c.say("rep", text)

    def exchange(lines: Sequence[str], who: str) -> None:
        for k, line in enumerate(lines):
            c.say(who if k % 2 == 0 else "rep", line.format(**s))

    # -- opening: hellos, small talk, the recording notice ---------------------------------
    c.say("rep", fmt(GREETING_REP), pause=rng.uniform(0.5, 3))
    c.say("p1", fmt(GREETING_PROSPECT))
    if "p2" in speakers:
        c.say("p2", f"Hi, I'm here too. {s['contact2']}, I run AP day to day.")
        c.say("rep", f"Great, welcome {s['contact2']}. Thanks for joining.")
    if se:
        c.say("se", f"Hi everyone, I'm {se.split()[0]}, the solutions engineer on the team.")
    talk = rng.sample(SMALL_TALK, 3 if b.disclosure == "late" else 1)
    late_talk = talk[1:]
    exchange_rep_first = lambda lines: [c.say("rep" if k % 2 == 0 else "p1", line.format(**s))
                                        for k, line in enumerate(lines)]
    exchange_rep_first(talk[0])
    if b.disclosure == "ok":
        c.say("rep", rng.choice(DISCLOSURE))
        c.say(prospect(), rng.choice(DISCLOSURE_OK))
    elif b.disclosure == "wrong":
        c.say("rep", rng.choice(DISCLOSURE_WRONG))
        c.say(prospect(), rng.choice(DISCLOSURE_OK))
    for lines in late_talk:
        exchange_rep_first(lines)
    c.say("rep", rng.choice(AGENDA))
    c.say(prospect(), rng.choice(AGENDA_OK))
    if b.disclosure == "late":
        while c.t < 125:                   # the notice comes, but past the two-minute mark
            c.say("rep", fmt(ROLE_Q))
            c.say("p1", fmt(ROLE_A))
        c.say("rep", rng.choice(DISCLOSURE_LATE))
        c.say(prospect(), rng.choice(DISCLOSURE_OK))
    elif not demo:
        c.say("rep", fmt(ROLE_Q))
        c.say("p1", fmt(ROLE_A))

    # -- discovery: five questions (or a jump to pricing) ----------------------------------
    steps = list(QUESTIONS)
    asked = steps[:]
    early_pricing_after = None
    if b.discovery:
        if rng.random() < 0.2:            # a solid rep may still skip one step
            asked.remove(rng.choice(steps[2:]))
    else:
        early_pricing_after = rng.choice((1, 2, 2, 3))
    priced = False
    reflected = 0
    want = rng.choice((2, 3, 3)) if b.listening else rng.choice((0, 0, 1))
    reflect_at = set(rng.sample(range(len(asked)), min(want, len(asked))))
    kinds = ["vendor", "priority", "boss"] + (["price"] if demo else [])
    objections = rng.sample(kinds, k=max(b.min_objections, rng.choice((0, 1, 1, 2))))
    if demo:
        c.say("rep", rng.choice(DEMO_RECAP).replace("Ravi", se.split()[0] if se else "we"))
        c.say(prospect(), rng.choice(("Sure, go ahead.", "Yeah, of course.", "Go for it.")))
    for i, step in enumerate(asked):
        if early_pricing_after is not None and i == early_pricing_after:
            if rng.random() < 0.5:
                c.say(prospect(), rng.choice(PRICE_ASK))
            rep_says(fmt(PRICING))
            priced = True
            c.say(prospect(), rng.choice(BACKCHANNEL))
            if "price" not in objections and rng.random() < 0.6:
                objections.insert(0, "price")
            if objections and objections[0] == "price":
                objection(c, rng, b, "price", prospect(), s)
                objections.pop(0)
            else:
                c.say("rep", fmt(PITCH_ON))
                c.say(prospect(), rng.choice(BACKCHANNEL))
            if rng.random() < 0.5:        # back to the questions, or straight on
                break
        if b.discovery and step == "business_impact" and rng.random() < 0.25:
            c.say(prospect(), rng.choice(PRICE_ASK))
            c.say("rep", rng.choice(PRICE_DEFER))
            c.say(prospect(), rng.choice(("Sure, fair enough.", "Okay, go ahead.", "Fine by me.")))
        rep_says(q(rng, step))
        who = prospect()
        ans = fmt(ANSWERS[step])
        if rng.random() < 0.15:
            c.interrupted(who, ans, "rep", rng.choice(INTERRUPT))
        c.say(who, ans)
        if rng.random() < 0.6:
            for sq, sa in rng.sample(SITUATION, rng.randint(1, 2)):
                rep_says(sq.format(**s))
                c.say(who, sa.format(**s))
        for fq, fa in rng.sample(FOLLOWUP[step], rng.choice((1, 1, 2, 2, 3))):
            rep_says(fq.format(**s))
            c.say(who, fa.format(**s))
        if rng.random() < 0.2:
            t = rng.choice(TANGENT)
            exchange(t, who)
        if i in reflect_at:
            reflected += 1
            c.say("rep", reflect(rng, acc, step, s))
            c.say(who, rng.choice(("Yeah, exactly.", "That's it, yeah.", "Pretty much.",
                                   "Right, that's the big one.", "Yes. Well, mostly, yes.",
                                   "Yeah. I mean, that's most of it.")))
        elif rng.random() < 0.3:
            c.say("rep", rng.choice(NON_REFLECT))
        if i == 1 and rng.random() < 0.3:
            exchange(rng.choice(OFF_TOPIC), who)
        if step == "pain_points" and objections[:1] == ["vendor"]:
            objection(c, rng, b, "vendor", who, s)
            objections.pop(0)
        if step == "decision_process" and objections[:1] in (["boss"], ["priority"]):
            objection(c, rng, b, objections.pop(0), who, s)

    # -- the middle: overview (discovery) or demo ------------------------------------------
    def demo_block() -> None:
        r = rng.random()
        if se and r < 0.3:
            c.say("se", fmt(DEMO_SE))
        elif r < 0.65:
            c.say("rep", fmt(DEMO_REP))
        else:
            i = rng.randrange(len(DEMO_Q))
            c.say(prospect(), DEMO_Q[i])
            c.say("se" if se and rng.random() < 0.5 else "rep", DEMO_A[i].format(**s))
        if rng.random() < 0.35:
            c.say(prospect(), rng.choice(BACKCHANNEL))

    if demo:
        if se:
            c.say("rep", f"Okay, {se.split()[0]}, want to take it away?")
        for _ in range(rng.randint(22, 34)):
            demo_block()
            if rng.random() < 0.05:
                exchange(rng.choice(OFF_TOPIC), prospect())
    else:
        for line in rng.sample(OVERVIEW, rng.randint(3, 5)):
            c.say("rep", line.format(**s))
            if rng.random() < 0.5:
                c.say(prospect(), rng.choice(BACKCHANNEL))
            if rng.random() < 0.6:
                i = rng.randrange(len(OVERVIEW_Q))
                c.say(prospect(), OVERVIEW_Q[i].format(**s))
                c.say("rep", OVERVIEW_A[i].format(**s))
    if not b.clean_pricing:
        c.say("rep", rng.choice(FORBIDDEN))
        c.say(prospect(), rng.choice(("Ha, okay.", "Hm, we'll see.", "Bold claim.",
                                      "That's what they all say.")))
    if not priced and (demo or rng.random() < 0.3):
        if not demo:
            c.say(prospect(), rng.choice(PRICE_ASK))
        rep_says(fmt(PRICING))
        c.say(prospect(), rng.choice(BACKCHANNEL))
        if not demo and rng.random() < 0.5:
            objections.append("price")
    for kind in objections:
        objection(c, rng, b, kind, prospect(), s)

    # -- padding for long benchmark calls --------------------------------------------------
    if target_turns is not None:
        while len(c.turns) < target_turns - 8:
            r = rng.random()
            if r < 0.06:
                exchange(rng.choice(OFF_TOPIC), prospect())
            elif r < 0.12:
                exchange(rng.choice(TANGENT), prospect())
            elif r < 0.2:
                step = rng.choice(steps)
                fq, fa = rng.choice(FOLLOWUP[step])
                rep_says(fq.format(**s))
                c.say(prospect(), fa.format(**s))
            elif r < 0.6:
                # a 30-minute call is mostly longer explanations, not backchannels
                who = "se" if se and rng.random() < 0.4 else "rep"
                bank = DEMO_SE if who == "se" else DEMO_REP
                c.say(who, " ".join(pick(rng, bank, **s) for _ in range(rng.randint(2, 3))))
            elif r < 0.8:
                i = rng.randrange(len(DEMO_Q))
                w = prospect()
                c.say(w, rng.choice(("", "Okay, question. ", "Sorry, quick question. ")) +
                      DEMO_Q[i] + " " + fmt(ANSWERS[rng.choice(steps)]))
                c.say("rep", DEMO_A[i].format(**s) + " " + fmt(DEMO_REP))
            else:
                demo_block()

    # -- the close -------------------------------------------------------------------------
    for _ in range(2 - reflected if b.listening and reflected < 2 else
                   int(b.listening and rng.random() < 0.4)):
        c.say("rep", reflect(rng, acc, rng.choice(steps), s))
        c.say(prospect(), rng.choice(("Yep, that's a fair summary.", "Yeah, that's it.",
                                      "Pretty much, yeah.")))
        if rng.random() < 0.5:
            c.say("rep", rng.choice(("Okay, good.", "Great, that helps.", "Perfect.")))
    c.say("rep", rng.choice(("Okay, I'm conscious of time.", "We're coming up on time, so.",
                             "I want to respect your time here.", "Okay, I know you've got a "
                             "hard stop.")))
    if b.next_step:
        c.say("rep", fmt(NEXT_STEP))
        c.say(prospect(), fmt(NEXT_STEP_OK))
        c.say("rep", fmt(NEXT_STEP_CONFIRM))
    else:
        c.say("rep", fmt(VAGUE_CLOSE))
        c.say(prospect(), rng.choice(VAGUE_OK))
    c.say("rep", fmt(GOODBYE_REP))
    c.say(prospect(), rng.choice(GOODBYE_PROSPECT))
    return c


def reflect(rng: random.Random, acc: Account, step: str, s: dict) -> str:
    lead = rng.choice(("So what I'm hearing is {r}.", "Let me make sure I've got this right: {r}?",
                       "If I understood you right, {r}.", "Just to play that back, {r}.",
                       "Correct me if I'm wrong, but it sounds like {r}.",
                       "So if I'm following you, {r}.", "Okay, so what I'm taking away is {r}.",
                       "Just so I'm clear, you're saying {r}?"))
    body = REFLECT[acc.pain] if step == "pain_points" else rng.choice(REFLECT_STEP[step])
    return lead.format(r=body.format(**s))


def objection(c: Call, rng: random.Random, b: Behaviour, kind: str, who: str, s: dict) -> None:
    c.say(who, pick(rng, OBJECTIONS[kind], **s))
    if b.objections:
        if rng.random() < 0.6:
            c.say("rep", rng.choice(ACK) + " " + pick(rng, EXPLORE[kind], **s))
        else:
            c.say("rep", rng.choice(ACK))
            c.say(who, rng.choice(("Yeah.", "I mean, it's true.", "Right.")))
            c.say("rep", pick(rng, EXPLORE[kind], **s))
        c.say(who, pick(rng, ELABORATE[kind], **s))
        c.say("rep", pick(rng, RESPOND, **s))
        c.say(who, rng.choice(RESPOND_OK))
    else:
        c.say("rep", pick(rng, REBUT, **s))
        c.say(who, rng.choice(REBUT_REPLY))
        c.say("rep", pick(rng, PITCH_ON, **s))
        c.say(who, rng.choice(BACKCHANNEL))


# ------------------------------------------------------------------------------------------
# The calendar: who calls whom, when, and how the rep behaves on each call
# ------------------------------------------------------------------------------------------
@dataclass
class PlannedCall:
    n: int
    rep: Rep
    started_at: datetime              # naive UTC
    call_type: str
    account: Account
    se: str | None
    behaviour: Behaviour = field(default_factory=Behaviour)
    fmt: str = "txt"

    @property
    def call_id(self) -> str:
        return f"{self.started_at:%Y%m%d}-{self.rep.initials}-{self.n:03d}"

    @property
    def day(self) -> date:
        return self.started_at.date()

    def filename(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.account.company.lower()).strip("-")
        ext = {"txt": "txt", "zoom.vtt": "vtt", "teams.vtt": "vtt", "srt": "srt",
               "json": "json"}[self.fmt]
        return f"{self.started_at:%Y-%m-%d}_{self.rep.initials.lower()}_{slug}_{self.call_type}.{ext}"


def weekdays(first: date, last: date) -> list[date]:
    days, d = [], first
    while d <= last:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def utc(day: date, hour: int, minute: int) -> datetime:
    """A US-Eastern business-hours time as naive UTC (EDT until 1 Nov 2026, then EST)."""
    offset = 4 if day < date(2026, 11, 1) else 5
    return datetime(day.year, day.month, day.day, hour, minute) + timedelta(hours=offset)


# Per-call fail rates on the criteria that are nobody's characteristic weakness.
BASE_FAIL = {"recording_disclosure": 0.03, "pricing_language": 0.06, "discovery_questions": 0.06,
             "active_listening": 0.07, "objection_handling": 0.08, "next_step": 0.07}
RECENT = LAST_DAY - timedelta(days=13)      # the last 14 days, which `select` reads
# Dates on which Marcus's calls all end without a next step (the fresh flags of the queue).
MARCUS_FRESH = (date(2026, 11, 12), date(2026, 11, 13))
# Days a rep certainly has calls: Marcus's fresh flags, and Priya's baseline before her first
# session (progress needs two scored calls there, and her prospects object on them).
PRIYA_BASELINE = tuple(date(2026, 10, d) for d in (5, 6, 7, 8))
BUSY_DAYS = {"Marcus Chen": MARCUS_FRESH, "Priya Natarajan": PRIYA_BASELINE}


def plan_team(seed: int = SEED) -> list[PlannedCall]:
    rng = random.Random(seed)
    days = weekdays(FIRST_DAY, LAST_DAY)
    used: set[str] = set()
    calls: list[PlannedCall] = []
    for rep in REPS:
        pending: list[tuple[date, Account]] = []
        for day in days:
            count = rng.choice((0, 1, 1, 1, 1, 2, 0, 1))
            if day in BUSY_DAYS.get(rep.name, ()):
                count = max(count, 1)
            slots_ = sorted(rng.sample(range(9 * 2, 16 * 2 + 1), count))  # half hours, 9:00-16:30
            for slot in slots_:
                ready = [p for p in pending if (day - p[0]).days >= 4]
                if ready and rng.random() < 0.5:
                    pending.remove(ready[0])
                    acc, call_type = ready[0][1], "demo"
                else:
                    acc, call_type = make_account(rng, used), "discovery"
                    pending.append((day, acc))
                se = (rng.choice(SALES_ENGINEERS) if call_type == "demo" and rng.random() < 0.6
                      else None)
                calls.append(PlannedCall(0, rep, utc(day, slot // 2, 30 * (slot % 2)), call_type,
                                         acc, se))
    calls.sort(key=lambda c: (c.started_at, c.rep.name))
    for i, c in enumerate(calls):
        c.n = i + 1
        c.fmt = FORMATS[i % len(FORMATS)]
    assign_behaviour(rng, calls)
    return calls


def deck(rng: random.Random, calls: list[PlannedCall], rate: float) -> set[int]:
    """Exactly round(rate * n) of these calls, at random: pass rates that come out as planned
    rather than as a coin happens to fall on 25 calls."""
    k = round(rate * len(calls))
    return {c.n for c in rng.sample(calls, k)}


def assign_behaviour(rng: random.Random, calls: list[PlannedCall]) -> None:
    for c in calls:
        if c.rep.name == "Priya Natarajan" and c.day in PRIYA_BASELINE:
            c.behaviour.min_objections = 1
    for rep in REPS:
        mine = [c for c in calls if c.rep is rep]
        for criterion in CRITERIA:
            if criterion == rep.weakness:
                cut = date.fromisoformat(rep.sessions[0]) if rep.sessions else RECENT
                periods = ([c for c in mine if c.day <= cut],
                           [c for c in mine if cut < c.day < RECENT],
                           [c for c in mine if c.day >= RECENT])
                failing = set().union(*(deck(rng, p, rate)
                                        for p, rate in zip(periods, rep.weak_rate)))
            else:
                # slips on other criteria happen, but not in the last two weeks, where they
                # would blur the one pattern each rep is here to show
                failing = deck(rng, [c for c in mine if c.day < RECENT], BASE_FAIL[criterion])
            if rep.name == "Marcus Chen" and criterion == "next_step":
                failing |= {c.n for c in mine if c.day in MARCUS_FRESH}
            for c in mine:
                if c.n not in failing:
                    continue
                b = c.behaviour
                if criterion == "recording_disclosure":
                    b.disclosure = rng.choice(("missing", "late", "wrong")) if rep.weakness == criterion \
                        else "missing"
                elif criterion == "pricing_language":
                    b.clean_pricing = False
                elif criterion == "discovery_questions":
                    b.discovery = False
                elif criterion == "active_listening":
                    b.listening = False
                elif criterion == "objection_handling":
                    b.objections = False
                elif criterion == "next_step":
                    b.next_step = False


def call_rng(seed: int, n: int) -> random.Random:
    return random.Random(seed * 1_000_003 + n)


# ------------------------------------------------------------------------------------------
# Writing the formats users export
# ------------------------------------------------------------------------------------------
def clock(t: float, sep: str = ".") -> str:
    ms = int(round(t * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def short_clock(t: float) -> str:
    s = int(t)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h:d}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


def cues(turns: Sequence[Turn], max_words: int) -> Iterator[tuple[Turn, str, float, float]]:
    """Caption tools cut long turns into several cues at sentence ends; time is shared out by
    words."""
    for t in turns:
        sentences = re.split(r"(?<=[.?!])\s+", t.text)
        chunks, cur = [], []
        for sent in sentences:
            if cur and len(" ".join(cur + [sent]).split()) > max_words:
                chunks.append(" ".join(cur))
                cur = []
            cur.append(sent)
        chunks.append(" ".join(cur))
        total = sum(len(ch.split()) for ch in chunks)
        start = t.start
        for ch in chunks:
            end = start + (t.end - t.start) * len(ch.split()) / total
            yield t, ch, start, end
            start = end


def write_txt(turns, names, meta) -> str:
    return "".join(f"[{short_clock(t.start)}] {names[t.speaker]}: {t.text}\n" for t in turns)


def write_zoom(turns, names, meta) -> str:
    out = ["WEBVTT\r\n\r\n"]
    for i, (t, text, a, b) in enumerate(cues(turns, 24), 1):
        out.append(f"{i}\r\n{clock(a)} --> {clock(b)}\r\n{names[t.speaker]}: {text}\r\n\r\n")
    return "".join(out)


def write_teams(turns, names, meta) -> str:
    guid = meta["guid"]
    out = ["WEBVTT\n\n"]
    k = 0
    prev = None
    for t, text, a, b in cues(turns, 18):
        k = k + 1 if t is prev else 0
        prev = t
        n = turns.index(t) if False else meta["index"][id(t)]
        out.append(f"{guid}/{n + 1}-{k}\n{clock(a)} --> {clock(b)}\n<v {names[t.speaker]}>{text}</v>\n\n")
    return "".join(out)


def write_srt(turns, names, meta) -> str:
    out = []
    for i, (t, text, a, b) in enumerate(cues(turns, 20), 1):
        out.append(f"{i}\n{clock(a, ',')} --> {clock(b, ',')}\n{names[t.speaker]}: {text}\n\n")
    return "".join(out)


def write_json(turns, names, meta) -> str:
    doc = {"call_id": meta["call_id"], "rep": meta["rep"], "started_at": meta["started_at"],
           "call_type": meta["call_type"], "account": meta["account"],
           "duration": round(turns[-1].end + 1.0, 2), "extra": {},
           "utterances": [{"index": i, "speaker": names[t.speaker], "start": t.start,
                           "end": t.end, "text": t.text} for i, t in enumerate(turns)]}
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


WRITERS: dict[str, Callable] = {"txt": write_txt, "zoom.vtt": write_zoom,
                                "teams.vtt": write_teams, "srt": write_srt, "json": write_json}


def display_names(rng: random.Random, pc: PlannedCall) -> dict[str, str]:
    """What the file calls each speaker. Conferencing tools often show a display name, which
    the roster lists as an alias."""
    rep = pc.rep.name
    if pc.fmt in ("zoom.vtt", "teams.vtt") and pc.rep.aliases and rng.random() < 0.4:
        rep = rng.choice(pc.rep.aliases)
    names = {"rep": rep, "p1": pc.account.contacts[0][0], "p2": pc.account.contacts[1][0]}
    if pc.se:
        names["se"] = pc.se
    return names


def render(pc: PlannedCall, seed: int, target_turns: int | None = None) -> str:
    rng = call_rng(seed, pc.n)
    call = compose(rng, pc.account, pc.call_type, pc.behaviour, pc.se, target_turns)
    names = display_names(rng, pc)
    meta = {"call_id": pc.call_id, "rep": pc.rep.name, "started_at": pc.started_at.isoformat(),
            "call_type": pc.call_type, "account": pc.account.company,
            "guid": "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                                    rng.getrandbits(12),
                                                    0x8000 | rng.getrandbits(14),
                                                    rng.getrandbits(48)),
            "index": {id(t): i for i, t in enumerate(call.turns)}}
    return WRITERS[pc.fmt](call.turns, names, meta)


MANIFEST_COLUMNS = ("file", "call_id", "rep", "started_at", "call_type", "account")


def manifest_row(pc: PlannedCall) -> list[str]:
    # "Z": the times are UTC. Without an offset they would be read in the team's zone (--tz).
    return [pc.filename(), pc.call_id, pc.rep.name, pc.started_at.isoformat() + "Z",
            pc.call_type, pc.account.company]


def roster_yaml(reps: Sequence[Rep]) -> str:
    lines = ["# Who is who on the calls: the reps (with the display names Zoom and Teams show",
             "# for them) and the colleagues who join some calls (sales engineers).",
             "reps:"]
    for r in reps:
        aliases = ", ".join(json.dumps(a) for a in r.aliases)
        lines += [f"  - name: {r.name}", f"    aliases: [{aliases}]", f"    team: {TEAM}",
                  f"    manager: {MANAGER}"]
    lines.append("colleagues:")
    lines += [f"  - {{name: {se}, title: Solutions Engineer}}" for se in SALES_ENGINEERS]
    return "\n".join(lines) + "\n"


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def sessions_rows(calls: list[PlannedCall]) -> list[list[str]]:
    """The coaching log: each session cites two calls before it that failed the criterion."""
    rows = []
    for rep in REPS:
        for held_on in rep.sessions:
            day = date.fromisoformat(held_on)
            failed = [c for c in calls if c.rep is rep and c.day < day and not passes(c, rep.weakness)]
            cited = [c.call_id for c in failed[-2:]]
            rows.append([rep.name, rep.weakness, held_on, ";".join(cited),
                         SESSION_NOTES[(rep.name, held_on)]])
    return rows


def passes(c: PlannedCall, criterion: str) -> bool:
    b = c.behaviour
    return {"recording_disclosure": b.disclosure == "ok", "pricing_language": b.clean_pricing,
            "discovery_questions": b.discovery, "active_listening": b.listening,
            "objection_handling": b.objections, "next_step": b.next_step}[criterion]


def generate_examples(out: Path = HERE, seed: int = SEED) -> list[PlannedCall]:
    """Write the example team: out/calls/* (+ calls.csv, reps.yaml) and out/sessions.csv."""
    calls = plan_team(seed)
    folder = out / "calls"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():          # a regenerated set replaces the old one entirely
        if old.is_file():
            old.unlink()
    for pc in calls:
        (folder / pc.filename()).write_bytes(render(pc, seed).encode("utf-8"))
    (folder / "calls.csv").write_bytes(
        csv_text(MANIFEST_COLUMNS, [manifest_row(c) for c in calls]).encode())
    (folder / "reps.yaml").write_bytes(roster_yaml(REPS).encode())
    (out / "sessions.csv").write_bytes(
        csv_text(("rep", "criterion", "held_on", "calls", "notes"), sessions_rows(calls)).encode())
    return calls


# ------------------------------------------------------------------------------------------
# The benchmark corpus (issue 8): many long calls, streamed to disk
# ------------------------------------------------------------------------------------------
def corpus_reps(n: int, rng: random.Random) -> list[Rep]:
    """The example team plus generated reps up to `n`, each with a display-name alias
    ("Jason G"). The roster refuses a name or alias that names two reps, so a short alias
    already taken grows a letter ("Jason Gu") or, when nothing shorter is free, is left out."""
    reps = list(REPS)
    taken = {name.casefold() for r in reps for name in (r.name, *r.aliases)}
    while len(reps) < n:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name.casefold() in taken:
            continue
        taken.add(name.casefold())
        first, last = name.split()
        aliases: tuple[str, ...] = ()
        for k in range(1, len(last)):
            alias = f"{first} {last[:k]}"
            if alias.casefold() not in taken:
                taken.add(alias.casefold())
                aliases = (alias,)
                break
        initials = "".join(p[0] for p in name.split()).upper() + str(len(reps))
        reps.append(Rep(name, initials, aliases, rng.choice(CRITERIA), (0.5, 0.5, 0.5)))
    return reps


def generate_corpus(out_dir: str | Path, calls: int, turns: int = 300, seed: int = SEED,
                    formats: Sequence[str] = FORMATS) -> Path:
    """Write `calls` realistic calls of about `turns` turns (~15 words a turn) into `out_dir`,
    with calls.csv and reps.yaml. Streams: one call in memory at a time, the manifest written
    as it goes. Same arguments -> the same bytes. Returns the folder."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    reps = corpus_reps(max(5, -(-calls // 400)), rng)
    days = weekdays(date(2026, 7, 1), date(2026, 9, 30))
    used: set[str] = set()
    accounts = [make_account(rng, used) for _ in range(min(2000, max(50, calls // 4)))]
    with open(out / "calls.csv", "w", encoding="utf-8", newline="") as manifest:
        w = csv.writer(manifest, lineterminator="\n")
        w.writerow(MANIFEST_COLUMNS)
        for i in range(calls):
            r = call_rng(seed, i + 1)
            rep = reps[i % len(reps)]
            day = days[(i * len(days)) // max(calls, 1)]
            call_type = "demo" if r.random() < 0.4 else "discovery"
            pc = PlannedCall(i + 1, rep, utc(day, 9 + r.randrange(8), 30 * r.randrange(2)),
                             call_type, accounts[r.randrange(len(accounts))],
                             r.choice(SALES_ENGINEERS) if call_type == "demo" and r.random() < 0.5
                             else None, fmt=formats[i % len(formats)])
            b = pc.behaviour
            for criterion in CRITERIA:
                rate = rep.weak_rate[-1] if criterion == rep.weakness else BASE_FAIL[criterion]
                if r.random() < rate:
                    setattr(b, {"recording_disclosure": "disclosure", "pricing_language": "clean_pricing",
                                "discovery_questions": "discovery", "active_listening": "listening",
                                "objection_handling": "objections", "next_step": "next_step"}[criterion],
                            "missing" if criterion == "recording_disclosure" else False)
            name = f"{pc.call_id}.{pc.filename().rsplit('.', 1)[1]}"
            (out / name).write_bytes(render(pc, seed, target_turns=turns).encode("utf-8"))
            w.writerow([name, *manifest_row(pc)[1:]])
    (out / "reps.yaml").write_bytes(roster_yaml(reps).encode())
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=None,
                    help="output folder (default: examples/ for the team, required for --calls)")
    ap.add_argument("--calls", type=int, default=None,
                    help="benchmark mode: this many calls instead of the example team")
    ap.add_argument("--turns", type=int, default=300, help="benchmark mode: turns per call")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    if args.calls is not None:
        if args.out is None:
            ap.error("--calls needs --out")
        generate_corpus(args.out, args.calls, args.turns, args.seed)
        print(f"wrote {args.calls} calls to {args.out}")
        return 0
    calls = generate_examples(args.out or HERE, args.seed)
    print(f"wrote {len(calls)} calls to {(args.out or HERE) / 'calls'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
