# Generator for EV-T4 held-out calls (Ledgerline, legal billing). Writes calls/, labels.csv.
import csv, json, random, os, math, uuid
OUT = os.path.join(os.path.dirname(__file__), '..')
CALLS = os.path.join(OUT, 'calls')

REPS = {
 'Marisol Vega': dict(team='East', manager='Grace Okafor', aliases=['Marisol V.']),
 'Tobias Reinholt': dict(team='East', manager='Grace Okafor', aliases=['Toby Reinholt']),
 'Keisha Abernathy': dict(team='West', manager='Henrik Sand', aliases=['Keisha A.']),
 'Dev Malhotra': dict(team='West', manager='Henrik Sand', aliases=['Dev M.']),
}
REPN = list(REPS)
COLLEAGUES = ['Owen Pratt', 'Lila Chen']

# 30 prospect organisations: firm, short, prospect(s) (name, title, pronoun of decider), area, tool, n_att, decider, timeline, budget, renewal
FIRMS = [
 ('Halvorsen & Pike LLP','Halvorsen','Renata Ostrowski','office manager','insurance defense','PCLaw',14,'Ruth Halvorsen','she','the end of March','thirty thousand','June'),
 ('Calder Street Legal','Calder Street','Ben Achterberg','billing manager','employment law','Clio',22,'our managing partner, Omar','he','the summer','twenty-five thousand','August'),
 ('Mbeki Ferris Family Law','Mbeki Ferris','Yolanda Mbeki','founding partner','family law','a spreadsheet and QuickBooks',6,'my co-founder Tom','he','January','ten thousand','December'),
 ('Ostrander Lowe PC','Ostrander Lowe','Gareth Lowe','firm administrator','commercial litigation','Tabs3',31,'the executive committee','they','Q2','fifty thousand','May'),
 ('Bright Harbor Immigration','Bright Harbor','Priyanka Deshmukh','operations lead','immigration','PracticePanther',11,'our managing attorney, Lena','she','the new year','fifteen thousand','February'),
 ('Quintero Vance LLP','Quintero Vance','Hollis Vance','partner','real estate','Timeslips',9,'my partner Ana','she','before tax season','twelve thousand','April'),
 ('Redfern Kaplan','Redfern Kaplan','Simone Okwu','director of finance','insurance defense','Aderant',48,'our CFO, Martin','he','our fiscal year in July','eighty thousand','July'),
 ('Ashdown Legal Group','Ashdown','Craig Pellerin','billing coordinator','personal injury','Clio',17,'the managing partner, Beth','she','spring','twenty thousand','March'),
 ('Thistle & Grange','Thistle','Mairead Connolly','practice manager','estate planning','PCLaw',8,'Fergus, our senior partner','he','the autumn','ten thousand','October'),
 ('Lindqvist Oduya LLP','Lindqvist','Anders Lindqvist','managing partner','IP and patents','Elite',26,'the finance committee','they','Q3','forty thousand','September'),
 ('Coastal Workers Comp Counsel','Coastal','Denise Farrugia','office administrator','workers comp','Tabs3',12,'our owner, Rick','he','the end of the quarter','fifteen thousand','January'),
 ('Penhallow Marsh','Penhallow','Jonah Weatherby','controller','construction disputes','Juris',35,'the management committee','they','by fall','sixty thousand','November'),
 ('Sandoval Bright Criminal Defense','Sandoval Bright','Luz Sandoval','partner','criminal defense','MyCase',5,'my partner Gabe','he','next month, honestly','eight thousand','March'),
 ('Wexford Ames LLP','Wexford Ames','Natalie Ames','COO','banking and finance','Aderant',62,'the CFO, Priya','she','the start of next fiscal','a hundred thousand','June'),
 ('Northgate Tenant Law','Northgate','Eli Brandt','legal operations manager','landlord-tenant','a homegrown Access database',10,'our board chair','they','summer','twelve thousand','July'),
 ('Kessler Ruiz Bankruptcy','Kessler Ruiz','Dana Kessler','managing attorney','bankruptcy','PracticePanther',7,'my partner Sam','he','February','ten thousand','April'),
 ('Brannock Hale','Brannock Hale','Theo Brannock','billing partner','product liability','Elite',40,'the finance committee','they','January first','seventy thousand','December'),
 ('Amberlyn Legal Services','Amberlyn','Rosa Whitcombe','finance manager','nonprofit legal aid','spreadsheets',19,'our executive director, Kwame','he','the grant year starting in October','fifteen thousand','October'),
 ('Doyle Petrakis LLP','Doyle Petrakis','Stavros Petrakis','partner','maritime','Timeslips',13,'my partner Kieran','he','spring','eighteen thousand','May'),
 ('Fairleigh Municipal Counsel','Fairleigh','Imogen Tate','office manager','municipal law','PCLaw',9,'the two name partners','they','the budget cycle in July','twelve thousand','July'),
 ('Garza Whitfield Trial Lawyers','Garza Whitfield','Marcus Whitfield','firm administrator','medical malpractice','Clio',24,'Elena Garza','she','Q1','thirty thousand','February'),
 ('Holloway Chen Tax Counsel','Holloway Chen','Wendy Holloway','partner','tax controversy','QuickBooks Time',6,'my partner David','he','after April fifteenth','eight thousand','May'),
 ('Inverness Cole LLP','Inverness Cole','Fiona Inverness','director of operations','securities','Aderant',55,'the CFO and the chair','they','fiscal year end','ninety thousand','August'),
 ('Juniper Elder Law','Juniper','Carla Mendes','practice administrator','elder law','MyCase',8,'the founder, Judith','she','the new year','ten thousand','January'),
 ('Kowalczyk & Baptiste','Kowalczyk','Adam Kowalczyk','managing partner','insurance coverage','Tabs3',16,'my partner Josette','she','before summer','twenty thousand','June'),
 ('Larkspur Franchise Law','Larkspur','Tanya Oduro','finance lead','franchise','Clio',12,'our managing partner, Phil','he','Q2','fifteen thousand','April'),
 ('Meridian Ocampo PLLC','Meridian Ocampo','Rafael Ocampo','partner','environmental','Timeslips',10,'the three partners','they','the fall','twelve thousand','September'),
 ('Nakamura Stroud','Nakamura Stroud','Keiko Nakamura','firm administrator','healthcare regulatory','Juris',28,'the executive committee','they','the new fiscal year','forty-five thousand','March'),
 ('Oakhurst Legal Partners','Oakhurst','Patrick Dunmore','billing supervisor','subrogation','PCLaw',21,'our managing partner, Sheila','she','end of year','twenty-five thousand','November'),
 ('Pemberton Sayle','Pemberton','Lucinda Sayle','senior partner','trusts and probate','a spreadsheet and Xero',7,'my partner Giles','he','soon-ish','ten thousand','January'),
]
SECOND = {2:('Tom Ferris','co-founder'),9:('Grace Whitlock','controller'),13:('Marguerite Liu','billing director'),20:('Elena Garza','managing partner'),26:('Hugh Barraclough','partner')}

FMT_CYCLE = ['txt','vtt','srt','json','csv']

# ----- per-criterion kind lists (index = call number-1) -----
RD = ['close','late','para','notetaker','implied','negated','close','prospect','para','none',
      'implied','late','close','notetaker','para','colleague','implied','negated','close','none',
      'para','late','implied','prospect','close','notetaker','para','negated','implied','none']
PL = ['f_close','p_close','f_para','p_neg','p_impl','p_para','f_impl','f_close','p_prosp','f_para',
      'p_impl','f_impl','p_neg','f_close','p_para','f_para','p_close','f_impl','p_close','p_prosp',
      'f_close','p_neg','f_para','p_para','f_impl','p_impl','f_close','p_close','f_para','f_impl']
# discovery: (steps asked before cutoff in order, tier, extras)
# extras: frag=[steps as fragments], after=[steps asked after cutoff], vol=[volunteered], nocut, pq (prospect asks price early), plans (cutoff is plan walkthrough)
DQ = [
 dict(before=[1,2,3,4,5],tier='close'),
 dict(before=[1,2],after=[4,5],tier='para',plans=1),
 dict(before=[1,2,3,4,5],tier='implied',pq=1),
 dict(before=[1,2,4],frag=[5],tier='close'),
 dict(before=[1,2,3,5],tier='para',nocut=1),
 dict(before=[1,2,3],after=[4,5],tier='implied'),
 dict(before=[1,2,3,4],after=[5],tier='para'),
 dict(before=[2,1],vol=[4],tier='close',plans=1),
 dict(before=[1,2,3,4,5],tier='para'),
 dict(before=[1,2,3],frag=[4,5],tier='implied'),
 dict(before=[1,2,3,4,5],tier='close',nocut=1),
 dict(before=[1,2],after=[3,4],tier='close'),
 dict(before=[1,2,3,4,5],tier='implied'),
 dict(before=[1,3,4],vol=[2],tier='para',plans=1),
 dict(before=[1,2,4,5],tier='close',pq=1),
 dict(before=[1,2,3,4,5],tier='para',plans=1),
 dict(before=[1,2,5],frag=[3],after=[4],tier='implied'),
 dict(before=[1,2,3,4,5],tier='close'),
 dict(before=[1,2,3],after=[4],tier='close'),
 dict(before=[1,2,3,4],tier='implied',nocut=1),
 dict(before=[1,2],frag=[4],vol=[5],tier='para'),
 dict(before=[1,2,3,4,5],tier='para',pq=1),
 dict(before=[1,3,4,5],tier='implied'),
 dict(before=[1,2,3],after=[5],tier='para',plans=1),
 dict(before=[1,2,3,4,5],tier='close'),
 dict(before=[1,2],frag=[3,5],tier='close'),
 dict(before=[1,2,3,4,5],tier='implied',plans=1),
 dict(before=[1,2,3],vol=[4],tier='implied'),
 dict(before=[2,3,4,5,1],tier='para'),
 dict(before=[1,4],after=[2,3],tier='close',plans=1),
]
# active listening: (n reflections, tier, negatives)
AL = [(2,'close',''),(0,'',"filler"),(3,'para',''),(1,'implied','echo'),(0,'','echo'),(2,'implied',''),(1,'close','filler'),(2,'para','echo'),(0,'','filler'),(3,'close',''),
      (2,'implied','filler'),(1,'para','echo'),(0,'','echo'),(2,'close','echo'),(1,'implied',''),(3,'implied',''),(0,'','filler'),(2,'para',''),(1,'close','echo'),(2,'para','filler'),
      (0,'','echo'),(3,'close',''),(1,'para','filler'),(2,'implied','echo'),(0,'','filler'),(2,'close',''),(1,'implied','echo'),(2,'para',''),(0,'','echo'),(3,'implied','filler')]
# objection handling: list of (objtype, pattern) ; pattern AER / AR / EA / ARGUE / PAST ; 'na' or 'neutral'
OH = [[('happy','AER')],'neutral',[('price','ARGUE')],[('boss','AER')],'na',[('bandwidth','AR')],[('price','AER'),('boss','AER')],[('happy','PAST')],'neutral',[('priority','AER')],
      [('bandwidth','EA')],[('price','AER')],[('signed','AR')],'na',[('budget','AER'),('happy','AR')],[('price','PAST')],[('priority','AR')],[('boss','AER')],'neutral',[('happy','ARGUE')],
      [('budget','AER')],[('price','AER'),('bandwidth','PAST')],[('signed','AER')],'neutral',[('boss','EA')],[('price','ARGUE')],[('happy','AER'),('boss','AR')],'na',[('bandwidth','AER')],[('budget','AR')]]
OHTIER = {}
NS = ['close','vague_email','para','prospect_day','implied','early_only','close','whenever','para','next_week',
      'implied','prospect_day','close','vague_email','para','early_only','implied','next_week','close','whenever',
      'para','prospect_day','implied','early_only','close','vague_email','para','next_week','implied','whenever']

# ---------------- pools ----------------
EXTRA = {}
SLOW = set()
LEADIN = ["Okay, that's really helpful context.", "Okay. That's useful, thank you.", "Mm, okay, and I'm going to be a bit nosy here.",
          "Right. I ask everyone this, so don't read into it.", "Okay, I'm scribbling. Bear with me.", "Ha, okay. Thank you for being so candid."]
MOREPAD = [("Can I ask how the team's feeling generally? It sounds like a lot.", "Tired, I'd say. Not unhappy, just tired. We've had a lot of change this year — new people, the office stuff, a couple of big trials. People are doing their best. I try to keep it light, bring in donuts on the bad Fridays, that kind of thing."),
           ("And are the associates mostly in one office, or spread out?", "Mostly here, a couple remote. One's in Denver, actually, since her husband got transferred. She's great, she's the one who actually gets her time in on the same day. If everyone were like her I wouldn't be on this call, honestly."),
           ("Do the partners ever look at the reports you put together, or do they just want the headline?", "The headline. Always the headline. I make these lovely spreadsheets with tabs and colours, and they look at one cell. Which is fine, I've made my peace with it. Mostly."),
           ("How's the firm doing, generally, if you don't mind me asking? Growing?", "Growing, yeah. We've added a few people this year and there's talk of a second office, which is exciting and terrifying in equal measure. Mostly terrifying from where I sit, because guess who sets up the billing for the second office.")]
RAMBLE45 = {4: ["And honestly, getting time on the partners' calendar is half the battle. They're in court, they're travelling, it's a lot.",
                "Which sounds simple, but it never is. Someone always has an opinion at the last minute.",
                "And they're not going to read a long memo, so whatever I bring them has to be short."],
            5: ["But I'm not going to pretend that's set in stone. Things slip here. Everything slips here.",
                "And if it looks like it'll drag into busy season, it'll just get pushed, I know how this place works.",
                "That's about as precise as I can be right now, if I'm honest."]}
HEARD = [("By the way, how did you end up hearing about us? I always like to ask.", "A friend of mine runs operations at a firm across town, and she wouldn't shut up about it at a dinner a couple of months ago. So I figured, fine, I'll take the call. She said the partners actually approve things now, which I found hard to believe."),
         ("Out of curiosity, what made you click on our thing in the first place? Was it the webinar?", "Ha, yeah, sort of. I half-watched it while doing expenses. The part about the carrier rejections hit a nerve, so I filled out the form before I could talk myself out of it."),
         ("Random question — have you looked at anything else like this before, or are we the first?", "We looked at one thing maybe two years ago, but it never went anywhere. Partly timing, partly nobody owned it. So you're sort of the first serious look, I suppose.")]
RAMBLE = ["I mean, don't get me wrong, the people are great. It's the process that's the problem, not them.",
 "And this is, what, the third year I've said we need to fix it? So.",
 "Which, for a firm that literally sells its time, is a little embarrassing to say out loud.",
 "Sorry, I'm rambling. It's a bit of a sore subject around here.",
 "And the partners, bless them, kind of assume it all happens by magic.",
 "Anyway. You asked, so there it is, warts and all."]
FOLLOW = {1: [("And roughly how many invoices go out in a typical month?", "Oh, gosh. Maybe two hundred and fifty? Three hundred in a busy month. A lot of them are small, like a single hearing, but every one still goes through the whole cycle, so honestly the small ones are the most annoying."),
              ("And is that the same across all the practice groups, or does it vary?", "It varies. The litigators are better, weirdly, because the carriers force them to be. The transactional people bill flat fees on some matters, so they think time doesn't matter, and then we get to a matter that is hourly and it's a mess."),
              ("How long has it been set up that way?", "Since before me. I think someone set it up in, like, 2014 and it's just been layered on ever since. Every time something broke we added a spreadsheet. So now it's spreadsheets all the way down.")],
          2: [("Is it like that every month, or are some months worse?", "December and June are the worst. Year-end and mid-year everybody suddenly cares about collections, the partners want numbers, and that's exactly when people are on vacation and nobody has entered their time. It's a perfect storm, twice a year."),
              ("Is that everyone, or are there a few repeat offenders?", "Oh, there are repeat offenders. Two or three names I could give you right now. And they're the biggest billers, of course, so it's not like I can just let it slide. Everyone else is more or less fine."),
              ("When did that start bugging you the most?", "Probably last spring. We grew by four attorneys in about three months, and what used to be annoying became, like, genuinely unworkable. It just doesn't scale, the way we do it.")]}
PITCH2 = ["And the other piece is reporting — you'd see unbilled time by partner and by client on any day of the month, instead of building it by hand.",
          "On top of that, the rules for each client's billing guidelines get checked before an invoice goes out, so things like block billing or a wrong task code get flagged up front.",
          "And for the partners, it's really just one screen on their phone: here's your prebill, approve or edit. Most of them never log in to anything else."]
CHAT_END = [("Before I let you go — any plans for the holidays?", "Visiting my in-laws, which is, uh, a whole thing. No, it's nice. It's a long drive, but it's nice. Kids will be feral by the time we get there."),
            ("Oh, and good luck with year-end, by the way. I don't envy you.", "Ha, thank you. I'll need it. Send snacks."),
            ("Oh, and I hope the rest of your week is calmer than the start of it.", "From your mouth to God's ears. Thursday's already a disaster, but we'll see."),
            ("Last thing, totally unrelated — are you doing anything fun for the long weekend?", "Not really. Sleeping, hopefully. Maybe finally cleaning out the garage, which I've been saying since the summer.")]
OPEN_R = [
 "Hey {pn}, good morning! Can you hear me okay?",
 "Hi {pn}, thanks for making the time. How's your week going?",
 "{pn}, hi! Sorry, I was a minute late, my last call ran over. How are you?",
 "Hello hello. Is this {pn}?",
 "Hey, there you are. How's everything at {short}?",
 "Hi {pn}, it's {rf} from Ledgerline. Am I coming through alright?",
]
OPEN_P = [
 "Yep, loud and clear. Morning. Well, barely morning.",
 "Oh, you know. It's a week. It's Tuesday-ish in my head, whatever day it actually is.",
 "No worries at all, I just got back from grabbing a coffee anyway.",
 "That's me, hi. Sorry, my camera's being weird, I'm just going to leave it off if that's okay.",
 "Busy, honestly. Good busy mostly. We just moved floors, so half my stuff is still in boxes.",
 "You're a little quiet but I can hear you. Let me turn it up. Okay, better.",
]
SMALL = [
 ("Ha, barely morning is still morning. I'm on my third coffee and it's not even ten here.", "Only third? Rookie numbers. No, I'm kidding, I'm cutting back, supposedly."),
 ("Ha, I know that feeling. Did you at least have a decent weekend?", "Yeah, quiet. We tried a new hiking trail, got a little lost, found our way back. Classic."),
 ("Good call. Did you get any of that snow yesterday, by the way?", "Some. Enough that my kid got the day off school and I very much did not. So that was fun, working with a nine-year-old narrating Minecraft next to me."),
 ("Totally fine, camera off is great. Honestly I'd do the same if I could.", "Ha, yeah, it's a hair day. Let's leave it there."),
 ("Oh no, the move. How's the new space?", "It's nicer, it's got actual windows, but nobody can find the printer. The printer has become, like, a legend. People talk about it."),
 ("Sorry about that, my headset's on its last legs. I saw your team was at the bar association thing last month, was that any good?", "It was fine. The sessions were so-so, the lunch was great. I mostly went for the lunch, if I'm honest."),
]
SMALL2 = [("Did you get any of that snow this week, by the way?", "A little. Enough to make the commute miserable, not enough to stay home. The worst kind."),
          ("Are you watching any of the playoffs? Half my office is in mourning.", "Ha, no, I'm the one person who doesn't follow it. I just nod along in the kitchen."),
          ("Random, but I love the painting behind you. Is that local?", "Oh, thanks! My sister did it, actually. She'll be thrilled someone noticed.")]
AGENDA = [
 "So what I was hoping to do today is mostly listen — understand how billing works for you at {short} — and then if it makes sense I'll show you a bit of what we do. Does that work?",
 "Here's my plan, tell me if it's wrong: I'd love to hear how you run time and billing now, where it hurts, and then we can see if there's even a fit. Sound okay?",
 "I've got about thirty minutes blocked. I'd mostly like to ask you questions, and if there's time at the end I can talk about Ledgerline. That alright with you?",
 "So, rough agenda: you tell me about how things run, I ask a bunch of nosy questions, and then we decide together if a proper look at Ledgerline is worth your time. Fair?",
]
AGENDA_P = ["Yeah, that works.", "Sounds good to me.", "Sure. Go for it.", "Works for me.", "Yep, fire away.", "Perfect."]

DISC = {
 'close': ["Before we dive in, just so you know, this call is being recorded for training purposes.",
           "Quick heads-up before we start: this call is being recorded, just for quality and training on our side."],
 'para': ["Oh, and just so you're aware, we record our calls so my team can review them later. Hope that's okay.",
          "One housekeeping thing — I'm recording today's conversation, just for coaching on my end.",
          "Oh, I should mention, we record all our calls here, it's mainly so I can go back over my notes."],
 'implied': ["Our coaching team listens back to the recordings of these, so if I sound extra polite, that's why.",
             "This one's going on tape for our training folks, just so you know.",
             "Heads-up, the little red dot up there means the recording's running on my side, for our coaching people."],
 'notetaker': ["Just a heads-up, I've got an AI notetaker on, so don't mind the little bot in the participants list.",
               "I use a transcription assistant so I can actually listen instead of typing, so that's what the extra tile is.",
               "Oh, and our AI assistant is joining to write up a summary afterwards, so you'll see it pop in."],
 'negated': ["And just so you know, we're not recording this, so feel free to be candid.",
             "By the way, nothing's being recorded on my end today, it's just a conversation.",
             "And this isn't being recorded or anything, so, you know, speak freely."],
 'late': ["Oh, shoot, I should've said at the start — this call is being recorded for training.",
          "Sorry, quick thing I forgot earlier, we record these calls for quality purposes. Anyway.",
          "Before I forget — and I should have said this up front — the call's being recorded, for training."],
}
DISC_ACK = ["Sure, no problem.", "That's fine.", "Okay, no worries.", "Fine by me.", "Ha, okay."]

Q = {  # step -> tier -> variants
 1: {'close': ["So how do you handle time entry and billing today?", "Can you walk me through how your billing works today?", "How does the billing process work for you right now?"],
     'para': ["What does month-end look like right now, from someone logging hours to an invoice actually going out?", "Take me from an attorney finishing a piece of work to the client getting a bill — what happens in between today?"],
     'implied': ["Tell me about the last invoice run — who touched it, start to finish.", "Paint me a picture of the last week of a month at {short}, billing-wise."]},
 2: {'close': ["What's not working about that today?", "What's the hardest part of that process for you?"],
     'para': ["Where does it get stuck or frustrating for your people?", "Which piece of that makes you groan when you see it on the calendar?"],
     'implied': ["If you could wave a wand and change one piece of that, tell me which piece.", "And the part you'd happily never do again is...?"]},
 3: {'close': ["What does that cost the firm, in time or in money?", "What's the business impact of that for you?"],
     'para': ["Have you ever put a number on what that's costing you?", "When that goes wrong, what does it actually do to the firm — cash, hours, clients?"],
     'implied': ["And if this is still how it runs a year from now, tell me what that means for the partners.", "Say nothing changes. What does next year look like for you?"]},
 4: {'close': ["Who's involved in making a decision like this?", "Who else would need to be part of the decision?"],
     'para': ["When you bought your last piece of software, how did sign-off work?", "Walk me through how a purchase like this gets approved at {short}."],
     'implied': ["Tell me who else would want to kick the tires before anything gets signed.", "And who's going to grill you about this if you bring it to them?"]},
 5: {'close': ["What's your timeline, and is there budget set aside for this?", "Do you have a budget in mind, and when do you need this in place?"],
     'para': ["When would you want something like this up and running?", "Is there money earmarked for this kind of thing this year?"],
     'implied': ["Tell me what's driving the timing — is there a date you're working back from?", "What's the clock on this — is something forcing your hand?"]},
}
FRAG = {1: "Process?", 2: "Pain points.", 3: "Cost?", 4: "Decision-maker?", 5: "Budget?"}
FRAG2 = {1: "Current setup.", 2: "Problems?", 3: "Impact.", 4: "Sign-off?", 5: "Timeline."}

A = {
 1: [("Honestly it's a bit of a patchwork. Our {n} attorneys keep time however they want — some in {tool}, some on a legal pad, one guy in a Word doc, I kid you not — and then around the twenty-fifth our billing coordinator starts chasing everyone. She keys it all in, prints the prebills, and they go round in a folder for the partners to mark up.",
      "everybody logs time their own way, and then one person spends the last week of the month chasing it and keying it in"),
     ("So we're on {tool} for the actual invoices, but the time itself, um, that's mostly people filling in a spreadsheet at the end of each week. Or that's the theory. In practice a lot of them do it at month end from their calendar and their sent emails. Then accounting pulls it together and emails prebills as PDFs to each partner and then, you know, we wait.",
      "{tool} does the invoicing, but the hours live in spreadsheets that get filled in late, mostly from calendars and sent mail"),
     ("A lot of our work gets billed to insurance carriers, so it all has to go out in LEDES with the task codes. Today the associates put time into {tool}, my team exports it, and then we fix the codes by hand in Excel before uploading to each carrier's portal. Every carrier has its own little rules, so it's, yeah. It's a process.",
      "time goes into {tool}, but the e-billing part — codes, each carrier's rules — gets fixed by hand in Excel before every upload"),
     ("Pretty old-school, I'll warn you. Paper timesheets, believe it or not, for the senior folks. The younger ones use the timer in {tool}. Everything lands with me and one other person, we reconcile it, and invoices go out around the tenth of the following month. Sometimes the fifteenth. Sometimes, uh, later.",
      "the senior people are on paper, the juniors use the timer in {tool}, and it all funnels to you two to reconcile before anything goes out"),
     ("Each practice group kind of runs its own show. Litigation uses {tool}, the transactional side still has its own spreadsheet, and once a month I merge the two, which is exactly as fun as it sounds. Then prebills, partner edits, final invoices, and the trust transfers for the clients on retainer.",
      "two groups on two systems, and you merge them by hand every month before prebills can even start"),
 ],
 2: [("The chasing, mostly. I send the same please-get-your-time-in email five times a month. And when people rebuild a month from memory, stuff just vanishes — a fifteen-minute call here, an email review there. It adds up, I know it does, I just can't prove it.",
      "time that never gets captured because people are rebuilding the month weeks later"),
     ("Prebills. They sit. A partner gets a stack of PDFs and they're in trial, they're travelling, whatever, and the invoices go out two or three weeks late. Clients notice. We had one client last quarter pay sixty days late and basically say, well, you sent it late.",
      "it's not the data entry, it's partners sitting on prebills, which pushes invoices and then payment weeks out"),
     ("Rejections. A carrier kicks back an invoice because a task code is wrong or a rate doesn't match their guidelines, and then it's a whole back-and-forth, and sometimes we just write it down to get paid. It's demoralising, honestly, for the people doing it.",
      "carriers bouncing invoices over codes and rates, and you writing things down just to get paid"),
     ("Visibility. I can't tell you on any given day what's unbilled. The partners ask how we're tracking for the month and I'm like, give me two days. And by the time I have the number it's stale.",
      "you can't see unbilled work without two days of digging, and by then the number's already old"),
     ("Mistakes in the merge, mainly. Duplicate entries, a rate that didn't get updated after January, stuff billed to the wrong matter. A client caught one last month and that was an uncomfortable phone call for our partner.",
      "the manual merge is where errors creep in — duplicates, old rates, wrong matters — and clients are the ones catching them"),
 ],
 3: [("Oh, I've tried. If each attorney loses even half an hour a week of billable time, at our rates, across {n} people — it's real money. I told the partners I think it's north of a hundred grand a year, and they kind of nodded and moved on.",
      "you figure it's over a hundred thousand a year in lost billable time, and the partners haven't really reacted to that"),
     ("Cash flow is the big one. When invoices go out on the twentieth instead of the fifth, some months we're floating payroll on the line of credit. That's interest we really shouldn't be paying.",
      "late invoices mean some months you're covering payroll on the credit line"),
     ("Write-downs, mostly. Last year it was something like four percent of billed time we knocked off for rejections. And then the hours my team spends fighting them — that's two people for about a week, every month.",
      "around four percent written down, plus two people losing a week every month to it"),
     ("Risk, if I'm honest. We're regulated on the trust side, and if a transfer goes out wrong because the numbers were stale, that's a bar complaint, not just an annoyed client.",
      "stale numbers on the trust side could turn into a bar complaint, not just an unhappy client"),
     ("Staff time and, um, morale. My coordinator told me she's looking around, and month-end is the reason. If she leaves, I'm genuinely not sure anyone else knows how the merge works.",
      "month-end might cost you your coordinator, and she's the only one who knows how it all fits together"),
 ],
 4: [("It'd be me putting a recommendation together, and then {decider} signs off. Anything over about ten grand goes to the partner meeting, which is the first Monday of the month.", ""),
     ("Um, it's a group thing, sort of. They'd want a demo before anything — {decider}, mainly. And IT gets a say on security — we use an outside IT firm for that.", ""),
     ("Honestly? {decider_cap}. If that person likes it, it happens. If not, it doesn't much matter what I think.", ""),
     ("Me and our bookkeeper would look at it, and then {decider} approves the spend. Last time we bought anything it took about six weeks end to end.", ""),
 ],
 5: [("We'd want something live before {timeline}. Budget-wise nothing's formally set aside, but there's room in the tech line if it's justified.", ""),
     ("There's a line in this year's budget for billing improvements, I think around {budget}. Timing, ideally {timeline}.", ""),
     ("No hard date. But our {tool} contract renews in {renewal}, so that's the natural point to make a change, if we make one.", ""),
     ("{timeline_cap}, ideally. Budget I'd have to check, but I don't think we'd get much past {budget} for the first year.", ""),
 ],
}
VOL = {4: "And, just so you know, it's not only me — {decider} would have the final word on anything like this.",
       5: "And for what it's worth, we've got about {budget} we could spend, and we'd want it before {timeline}.",
       2: "And the worst part, honestly, is the prebills just sitting with partners for weeks."}
REFL = {
 'close': ["So what I'm hearing is {x} — is that fair?", "So what I'm hearing is {x}. Is that right?"],
 'para': ["Let me make sure I've got this: {x}. Did I get that right?", "Okay, if I'm following you, {x}. Yeah?", "Just so I'm clear — {x}. That's the gist?"],
 'implied': ["Right, so {x}.", "Okay. So {x}, basically.", "Mm. So really, {x}."],
}
REFL_P = ["Yeah. Yeah, that's exactly it.", "That's fair, yes.", "Pretty much, yeah.", "Yes. Well put, actually.", "Mm-hm, that's it."]
FILLER_R = ["Got it.", "Makes sense.", "Okay, great.", "Right, right.", "Sure. Okay.", "Gotcha."]
ECHO = {1: ["Spreadsheets.", "Paper.", "The twenty-fifth?"], 2: ["Prebills.", "Rejections?", "Visibility."], 3: ["A hundred grand.", "Four percent?", "Payroll."],
        4: ["Committee.", "Six weeks?"], 5: ["{renewal_cap}.", "Ten grand?"]}
ECHO_P = ["Yep.", "Yeah.", "Mm-hm. Yeah.", "Uh-huh.", "Yeah, that's right."]
CUTIN = ["Sorry, go ahead.", "Sorry — you go.", "Oh, sorry, finish your thought."]
CUTIN_P = ["No, I was just going to say it's been like this since before I got here, so.",
           "No, just — it's one of those things everyone complains about and nobody owns.",
           "All I was going to say is we've tried to fix it twice already and it kind of drifted back."]

PRICE = [
 "So pricing-wise, it's per timekeeper. Our Practice plan is sixty-five dollars a month per timekeeper, billed annually, and that includes time capture, prebill approvals, e-billing and the client portal. There's a one-time onboarding fee, usually around three thousand for a firm your size.",
 "On price: it's fifty-nine dollars per timekeeper per month on the standard plan, paid annually. That covers the mobile timer, prebills and invoicing. LEDES e-billing is included, and there's an implementation fee that we quote once we see your data.",
 "Let me give you the numbers. It's seventy-two dollars per user per month for the full suite, annual contract. Staff who don't bill time are free. Onboarding is a flat two thousand five hundred.",
]
PLANS = [
 "So let me walk you through how we package it. There are three plans. Essentials is time capture and invoicing. Practice adds prebill workflows and LEDES e-billing. And Firm adds trust accounting and the analytics dashboards. Most firms your size end up on Practice.",
 "We've got basically three tiers — Starter, Practice and Firm. Starter's just the timer and simple invoices, Practice is where you get the partner approvals on prebills and e-billing, and Firm is everything plus trust accounting. I'd probably point you at Practice.",
]
PRICE_P = ["Okay.", "Mm-hm. Okay.", "Right.", "Okay, that's roughly what I figured.", "Hm. Okay.", "Got it. Go on."]
PL_TEXT = {
 'p_close': ["That's list price. Anything beyond about ten percent off goes through our finance team, so I can't promise a discount today, but I can ask.",
             "The number I gave you is list. Multi-year terms usually come in a little lower, and discounts get approved by our finance team, not by me."],
 'p_para': ["To be straight with you, the number's the number for a one-year term. If you go two years there's usually some room, but that's a conversation finance signs off on.",
            "What you'd be paying for is the licences and the onboarding, that's it — no per-invoice fees. If you want a discount, I'd have to take it to my manager for approval."],
 'p_neg': ["I'm not going to tell you it pays for itself, because that depends on whether your people actually use it.",
           "And look, we're not the cheapest option out there, I won't pretend we are.",
           "Nobody can guarantee you'll collect faster — what I can do is show you what firms like yours saw."],
 'f_close': ["Honestly, it's guaranteed to pay for itself inside the first year.",
             "And if you've got a quote from anyone else, we'll beat it. Any price.",
             "And it's totally risk free — if it doesn't work out, you walk away."],
 'f_para': ["You'll make the money back in the first quarter, I promise you that.",
            "Bring me whatever number anyone else has quoted you and I'll match it, no questions asked.",
            "There's genuinely zero risk on your side with this."],
 'f_impl': ["Put it this way, nobody in this space comes in under us.",
            "Worst case, it costs you nothing, because the hours you recover more than cover the licences. Every time.",
            "You won't be out a cent by the end of the year — it covers its own cost, easily."],
}
PROSP_SAYS = [("Every vendor who calls me tells me their thing pays for itself, by the way.", "Ha. Yeah, I'll spare you that line."),
              ("So this is totally risk free, right? That's what the last guy told me.", "I wouldn't say that, no — there's a contract and an onboarding fee, so there's some commitment.")]

PITCH = [
 "What firms like yours usually do with us is put the timer on everyone's phone and their Outlook, so time gets caught the day it happens, and then prebills go to partners as a one-tap approval instead of a PDF in their inbox.",
 "The big thing we do differently is the prebill step — partners get a notification, they can approve or edit on their phone in a cab, and it flows straight into the invoice and the LEDES file.",
 "Ledgerline basically sits where your spreadsheets are now: time goes in one place, codes get checked against each client's billing guidelines before it goes out, and you can see unbilled work any day of the month.",
]
PITCH_P = ["Mm-hm.", "Okay, that's interesting.", "Huh. Okay.", "Right.", "Yeah, the phone thing would help."]

OBJ = {
 'price': dict(obj=["Yeah, I'll be honest, that's more than I was expecting. {n} timekeepers at that rate adds up fast.",
                    "Oof. Okay. That's, um — that's a lot more than what we pay now.",
                    "I mean, that's steep for a firm our size. I don't think I can sell that internally."],
   exp_p="Well, we already pay for {tool}, and it's about half that. So in my head this is on top of {tool}, not instead of it.",
   resp="That's helpful. If it replaced {tool} for billing, you'd be looking at the difference, not the whole amount — so let's check that against your {tool} renewal before anything else.",
   argue="Honestly, once you add up what {tool} charges for the add-ons you'd need, the comparison looks very different. I'd really push back on that.",
   ar="And on {n} timekeepers, the annual term is where most firms land — it keeps the monthly number down compared to what you're picturing."),
 'happy': dict(obj=["To be honest, {tool} does the job. People know it. I'm not sure we need to rip anything out.",
                    "I guess my thing is, we're mostly fine with what we have. It's clunky but it works.",
                    "Our people are used to {tool}. I don't love the idea of changing it."],
   exp_p="It's reliable, and the attorneys know it. It's just the prebill part that happens outside of it, over email, and that's where it all stalls.",
   resp="Then nothing needs ripping out. {tool} stays for what it's good at, and Ledgerline would only take over the prebill approvals.",
   argue="I'd push back a bit there — {tool} really isn't built for this, and firms that stick with it end up right where you are now.",
   ar="And a lot of firms keep {tool} where it works and just use us for the time capture, so your people aren't relearning everything."),
 'priority': dict(obj=["Honestly, this probably isn't top of the list this year. We're in the middle of merging two offices.",
                       "It's just not a priority right now. There's about five other fires."],
   exp_p="Probably that if it helped get the two offices onto one way of billing, it would get a look. On its own, no.",
   resp="Then that's the angle — one billing process across both offices is a big part of what firms use us for, so we could scope it around the merger instead of on top of it.",
   argue="I'd argue it should be, though — this is exactly the kind of thing that gets worse the longer you leave it.",
   ar="Which is why we phase it — the first month is just the timer, nothing else, so it doesn't compete with the bigger projects."),
 'bandwidth': dict(obj=["My worry is just people. My team is two people and they're underwater already. I don't know who would implement this.",
                        "I don't have the bandwidth for a project like this. Nobody here does, frankly."],
   exp_p="Training the partners. They won't sit for it. They barely sat for the new phone system.",
   resp="Okay — then we keep the partners out of training almost entirely. They just get prebills on their phone and tap approve, and our onboarding team does the data move, so your two people aren't carrying it.",
   argue="It's honestly not that much work — most firms are live in a few weeks, it's really not a big lift.",
   ar="And our onboarding team does the data migration for you, so your team mostly just has to show up for two short sessions."),
 'boss': dict(obj=["I can't really commit to anything without {decider}. And honestly, that's a skeptical audience when it comes to new software.",
                   "Look, none of this goes anywhere unless {decider} is on board, and that's not a given."],
   exp_p="We bought a document management system three years ago that nobody uses. So, yeah. There's scar tissue.",
   resp="That makes sense. Then it's probably worth showing {decider_r} actual usage numbers from a firm that switched, not features, and keeping phase one small so it isn't another shelfware story.",
   argue="Sure, but once {decider_r} sees the demo I really think the decision will make itself.",
   ar="What usually helps there is a short session just for them, twenty minutes, focused on the numbers rather than features."),
 'signed': dict(obj=["To be upfront, we just renewed with {tool} in September. So we're locked in for a while.",
                     "We actually just signed another two years with our current vendor, so the timing's bad."],
   exp_p="Two years, the whole thing, though e-billing is an add-on we could drop at the anniversary.",
   resp="Then the anniversary could be the window — we'd look at e-billing alone, since that's the piece you can drop, and leave the rest till the term ends.",
   argue="Contracts can usually be bought out, and honestly the savings would cover that pretty quickly.",
   ar="Lots of our customers started mid-contract with just one module and switched the rest when the term ended."),
 'budget': dict(obj=["There's just no budget for this right now. We spent it all on the new case management system.",
                     "We don't have money for this this year, plain and simple."],
   exp_p="If it saves money this year, the managing partner will listen. Otherwise it waits till next year.",
   resp="Then the pitch internally isn't new spend, it's savings this year — we'd build the case around the write-downs, so it lands with the managing partner.",
   argue="The thing is, you're already spending the money — you're just spending it on write-offs instead.",
   ar="And we do have quarterly billing, so it doesn't have to be one big line item in the budget."),
}
ACK = {'close': ["That's a fair concern.", "That's fair, and I'd rather you say it now."],
       'para': ["Yeah, I hear you, and honestly I'd be asking the same thing.", "Totally understandable — nobody wants that on top of everything else."],
       'implied': ["Mm. Yeah. Okay.", "Right, no, that lands."]}
EXPL = {'close': ["Can I ask what you're comparing it to?", "Can I ask what's behind that?"],
        'para': ["Help me understand what's driving that for you?", "When you say that, what's the part that worries you most?"],
        'implied': ["Say more about that?", "Where's that coming from, if you don't mind me asking?"]}
OBJ_EXPL_SPECIFIC = {'price': "Can I ask what you're comparing it to?", 'happy': "What's it doing well for you, and where does it fall short?",
   'priority': "Is it that there's no room at all this year, or that it would need to be tied to the merger to get attention?",
   'bandwidth': "When you picture rolling it out, what's the part you're dreading?", 'boss': "What's made them skeptical, if you don't mind me asking?",
   'signed': "How long is the term, and is it the whole platform or just some modules?", 'budget': "Is it closed until next year, or does anything get funded mid-year if it pays back?"}
PAST = ["Let me just show you the prebill screen real quick — honestly it's the thing people love most.",
        "Totally — and the other thing I wanted to mention is our client portal, clients can pay straight from the invoice."]
EA_ACK = ["Yeah, that's fair, I get that.", "Sure, sure. Makes sense."]
MOVEON = ["Anyway — let's park that for now.", "Okay. We can come back to that another time."]
MOVEON_P = ["Sure.", "Okay.", "Go ahead."]
NEUTRAL = [("Does it work with Outlook? A lot of our time lives in email.", "It does, there's an Outlook add-in, so you can log time right from an email or a calendar event."),
           ("How long does onboarding usually take, for a firm like us?", "Usually four to six weeks, mostly depending on how clean the data coming out of the old system is."),
           ("Can clients see their invoices online, or is it all PDF?", "Both — there's a portal where they can see and pay, and you can still send PDFs to the old-fashioned ones."),
           ("Is the data hosted in the US? Our clients ask about that.", "Yes, US data centres, and we can send over our security documentation for your IT people.")]

CLOSE_WRAP = [("I'm conscious of time, and this was really helpful.", "Yeah, same, this was useful."),
              ("Okay, I know we're about at time.", "Yeah, I've got another call in a few minutes."),
              ("I think that's a good place to pause.", "Agreed. Good conversation.")]
NS_TEXT = {
 'close': ["Can we get forty-five minutes on the calendar Thursday at two with {decider_r}? I'll send the invite right after this.",
           "Let's book the demo for Wednesday at eleven — can I send you an invite for that now?"],
 'para': ["What if I set up a proper walkthrough for Tuesday the fourteenth, ten your time, and you bring {decider_r} along — would that work?",
          "How does Monday at three look for a deeper session with your team? I'll put it in now if so."],
 'implied': ["I'll grab tomorrow at four for half an hour and we'll run one of your real prebills through it — sound alright?",
             "Let me hold Friday morning, nine-ish, to show your coordinator the e-billing side, and you tell me if it moves."],
}
NS_P_OK = ["That works. Send it over.", "Yeah, that should be fine. I'll check with {decider}.", "Sure, that works for me.", "Okay, let's do it."]
NS_R_END = ["Perfect. Invite's on its way. Thanks so much, {pn}.", "Great, talk then. Have a good one.", "Awesome. Thanks again, really appreciate it."]
NS_FAIL = {
 'vague_email': ["I'll shoot you an email with some materials and we'll go from there.", "Let me send you a recap and a couple of case studies by email, and you can take a look."],
 'next_week': ["Let's find some time next week to do a proper demo.", "Maybe we pencil something in for next week sometime, once you've had a chance to think."],
 'whenever': ["Reach out whenever you're ready — you've got my email.", "No pressure at all, just ping me whenever it makes sense on your end."],
}
BYE_P = ["Sounds good. Thanks, {rf}.", "Will do. Thanks for your time.", "Great, talk soon.", "Okay. Bye now."]
BYE_R = ["Thanks, {pn}. Take care.", "Cheers, have a good rest of the day.", "Thanks so much. Bye!"]
EARLY_NS = "And just so we don't rush, I've also held Thursday at three as a backup in case we need a second session."
EARLY_NS_P = "Oh, okay. Thursday at three might work, sure."
PDAY = [("Could you do Wednesday at ten for the demo? That's usually quiet for us.", "Sure, that works."),
        ("How about the fifteenth, in the morning? {decider_cap} is in the office that day.", "Yep, sounds good."),
        ("Let's say Monday at two. I'll make sure {decider} is free.", "Sure, great.")]

PAD = [("Out of curiosity, how long have you been at {short}?", "Going on nine years. I started as a legal assistant, actually, back when we were half the size, and sort of fell into the billing side because nobody else wanted it. Then it turned into the whole operations job. So I know where all the bodies are buried, as they say."),
       ("Are you all back in the office full time now, or still hybrid?", "Hybrid, officially. Three days in. In practice the partners come in when they have a client meeting and the rest of us are here, so, you know, the usual."),
       ("Ha. Is it always this busy this time of year for you?", "It's always something. This time of year it's year-end billing, then it's audits, then summer associates. There's no quiet season, there's just less loud seasons."),
       ("Did you end up going to that legal ops meetup in the fall? I heard it was packed.", "I did, for a day. Lots of people saying AI a lot. Honestly the best part was hearing that every other firm has the exact same problems we do. That was weirdly comforting.")]

STEP_NAMES = {1:'current_process',2:'pain_points',3:'business_impact',4:'decision_process',5:'timeline_budget'}
TIERNAME = {'close':'close','para':'paraphrased','implied':'implied'}

class B:
    def __init__(s, rng): s.U=[]; s.rng=rng
    def say(s, sp, text, cut=False):
        assert not s.U or s.U[-1]['sp']!=sp, (sp, text)
        s.U.append(dict(sp=sp, text=' '.join(text.split()), cut=cut)); return len(s.U)-1

def occ(lst, ci):
    return sum(1 for i in range(ci) if lst[i] == lst[ci])

def rep_form(dc):
    if ',' in dc:
        a, b_ = [x.strip() for x in dc.split(',', 1)]
        return b_ if a.startswith(('my ', 'our ', 'the ')) else a
    if dc.startswith('my '): return dc.split()[-1]
    if dc.startswith('our '): return 'your ' + dc[4:]
    if dc.startswith('the '): return dc
    return dc.split()[0]

def pick(pool, ci, k=0):
    return pool[(ci*5 + k*7 + ci//3) % len(pool)]

def build(ci):
    rng = random.Random(1000+ci)
    f = FIRMS[ci]
    firm, short, p1, ptitle, area, tool, n, decider, dpron, timeline, budget, renewal = f
    rep = REPN[ci % 4]
    p2 = SECOND.get(ci)
    fmt = FMT_CYCLE[ci % 5]; var = ci // 5
    col = None
    if RD[ci]=='colleague' or ci in (3,11,22,27):
        col = 'Owen Pratt' if ci in (11, 22) else 'Lila Chen'
    rep_disp = REPS[rep]['aliases'][0] if (fmt=='vtt' and var%2==1) else rep
    d = dict(firm=firm, short=short, pn=p1.split()[0], tool=tool, n=n, decider=decider, timeline=timeline, budget=budget, renewal=renewal,
             rf=rep.split()[0], decider_r=rep_form(decider), decider_cap=decider[0].upper()+decider[1:], timeline_cap=timeline[0].upper()+timeline[1:], renewal_cap=renewal)
    F = lambda t: t.format(**d)
    b = B(rng); ev = {c: [] for c in ['recording_disclosure','pricing_language','discovery_questions','active_listening','objection_handling','next_step']}
    R, P, C = rep_disp, p1, col
    def P_any(k):  # which prospect speaks
        return p2[0] if (p2 and k % 3 == 2) else p1
    last_p = [p1]
    # ---- opening
    j = (ci * 5 + ci // 6) % 6
    b.say(R, F(OPEN_R[j]))
    b.say(P, F(OPEN_P[j]))
    sm = SMALL[j]
    b.say(R, F(sm[0])); b.say(P, F(sm[1]))
    if EXTRA.get(ci, 1) >= 4:
        sm = pick(SMALL2, ci, 2); b.say(R, F(sm[0])); b.say(P, F(sm[1]))
    if p2:
        b.say(R, F("Ha. And I think I see someone else joining?"))
        b.say(P, F(f"Oh yes, that's {p2[0].split()[0]}, our {p2[1]}. I asked {p2[0].split()[0]} to sit in."))
        b.say(p2[0], "Hi there. Sorry, I was on mute. Hello.")
    if col:
        colrole = 'one of our solutions engineers' if col=='Owen Pratt' else 'who runs onboarding for us'
        b.say(R, F(f"Ha. Oh, before we get going — I've also got my colleague {col} on with me, {colrole}."))
        b.say(C, F("Hi {pn}, nice to meet you. I'll mostly be listening today."))
    # ---- disclosure + agenda
    rd = RD[ci]; ag = F(pick(AGENDA, ci, 2))
    dkind = rd if rd in DISC and rd!='late' else None
    if dkind:
        txt = F(DISC[dkind][occ(RD, ci) % len(DISC[dkind])])
        i = b.say(R, txt + ' ' + ag); ev['recording_disclosure'].append((i, txt))
        b.say(P if b.U[-1]['sp']!=P else p2[0], pick(DISC_ACK, ci) + ' ' + pick(AGENDA_P, ci))
    elif rd=='prospect':
        i = b.say(R, ag)
        t = "Sounds good. By the way, I'm recording this on my end so my partner can listen later, hope that's okay." if ci%2==1 else "Yep. Oh — is this being recorded, by the way? Just so I know."
        j = b.say(P, t)
        k = b.say(R, "Oh, totally fine, no problem." if ci%2==1 else "Ha, good question — anyway, let's jump in.")
        ev['recording_disclosure'].append((j, t)); ev['recording_disclosure'].append((k, b.U[k]['text']))
        b.say(P, "Okay.")
    elif rd=='colleague':
        b.say(R, ag)
        t = "And just so everyone knows, this call is being recorded for training."
        i = b.say(C, t); ev['recording_disclosure'].append((i, t))
        b.say(P, "Okay, sure. " + pick(AGENDA_P, ci))
    else:
        b.say(R, ag); b.say(P, pick(AGENDA_P, ci))
    if NS[ci]=='early_only':
        i = b.say(R, EARLY_NS); ev['next_step'].append((i, EARLY_NS)); b.say(P, EARLY_NS_P)
    # ---- discovery
    dq = DQ[ci]; tier = dq['tier']
    seq = list(dq['before'])
    for fr in dq.get('frag', []):
        pos = next((k for k, s_ in enumerate(seq) if s_ > fr), len(seq)); seq.insert(pos, fr)
    al_n, al_tier, al_neg = AL[ci]
    refl_left = [al_n]; neg_count = [0]
    asked_before = []; pad_done = [False]
    pool_idx = {1: ci % 5, 2: (ci*2+1) % 5, 3: (ci*3+2) % 5, 4: ci % 4, 5: (ci+1) % 4}
    pending_prefix = ['']
    def step_block(s_, frag=False, k=0, after=False):
        pre = pending_prefix[0]; pending_prefix[0] = ''
        if frag:
            q = (FRAG if ci % 2 else FRAG2)[s_]
            i = b.say(R, (pre + q).strip()); dqev.append((i, q, 'frag'))
        else:
            q = F(Q[s_][tier][(occ([x['tier'] for x in DQ], ci) + s_) % len(Q[s_][tier])])
            li = pick(LEADIN, ci, k + s_) if (k + ci) % 3 != 0 else ''
            if k == 0 and s_ != 1: li = "So on the form you filled in, you said billing's been a headache lately."
            i = b.say(R, ' '.join(x for x in (pre, li, q) if x))
            dqev.append((i, q, 'after' if after else 'step'))
        ans, summ = A[s_][pool_idx[s_]] if s_ <= 3 else (A[s_][pool_idx[s_]][0], '')
        if s_ == 4: summ = 'it comes down to ' + rep_form(decider) + ' signing off, with you making the case'
        if s_ == 5: summ = 'the timing really hangs on ' + (timeline if pool_idx[5] != 2 else 'the ' + tool + ' renewal in ' + renewal)
        ans = F(ans)
        if s_ <= 3: ans = ans + ' ' + pick(RAMBLE, ci, s_)
        else: ans = ans + ' ' + F(pick(RAMBLE45[s_], ci))
        spk = p2[0] if (p2 and s_ in (3, 5)) else P
        if frag: ans = ans  # prospect answers anyway
        vol = [v for v in dq.get('vol', []) if v not in dq['before']]
        if s_ == seq[-1] and not after and vol:
            ans = ans + ' ' + F(VOL[vol[0]]); volev.append(ans)
        # cut-in on step 2 for some calls
        if s_ == 2 and ci % 3 == 0:
            parts = ans.split('. ')
            first = '. '.join(parts[:2]) + ' —'; rest = pick(CUTIN_P, ci) + ' ' + '. '.join(parts[2:])
            b.say(spk, first); b.say(R, pick(CUTIN, ci), cut=True); b.say(spk, rest)
        else:
            b.say(spk, ans)
        # listening
        if refl_left[0] > 0 and s_ in (1, 2, 3, 4, 5) and (s_ <= 3 or refl_left[0] >= 1 and len(asked_before) >= 3):
            x = F(summ)
            tmpl = REFL[al_tier][(occ([a[1] for a in AL], ci) + refl_left[0]) % len(REFL[al_tier])]
            t = tmpl.format(x=x); t = t[0].upper() + t[1:]
            i = b.say(R, t); alev.append((i, t)); refl_left[0] -= 1
            b.say(spk if spk != R else P, pick(REFL_P, ci, s_))
        elif al_neg == 'echo' and neg_count[0] < 2 and s_ in ECHO:
            e = F(pick(ECHO[s_], ci)); i = b.say(R, e); alneg.append((i, e)); neg_count[0] += 1
            b.say(spk, pick(ECHO_P, ci, s_) + ' ' + ("It's been that way for years." if s_ % 2 else "That's the one."))
        elif al_neg == 'filler' and neg_count[0] < 3:
            pending_prefix[0] = pick(FILLER_R, ci, s_); neg_count[0] += 1
    dqev = []; alev = []; alneg = []; volev = []
    for k, s_ in enumerate(seq):
        step_block(s_, frag=(s_ in dq.get('frag', [])), k=k)
        if s_ in FOLLOW and s_ not in dq.get('frag', []):
            fq = pick(FOLLOW[s_], ci); pre = pending_prefix[0]; pending_prefix[0] = ''
            b.say(R, (pre + ' ' + F(fq[0])).strip()); b.say(P, F(fq[1]))
        if k == 0 and dq.get('pq'):
            t = "Before we go too far — what does something like this cost, ballpark? Just so I know if we're in the same universe."
            b.U[-1]['text'] += ' ' + t
            b.say(R, "Fair question. It depends on how many timekeepers and which pieces you'd need, so I'd rather give you a real number once I understand your setup. Can I come back to it?")
            b.say(P, "Sure, that's fine.")
        if k == 1 or (k == len(seq) - 1 and EXTRA.get(ci, 1) >= 2):
            pp = pick(PAD, ci, k); pre = pending_prefix[0]; pending_prefix[0] = ''
            b.say(R, (pre + ' ' + F(pp[0])).strip()); b.say(P, F(pp[1]))
    if PL[ci] == 'p_prosp' and dq.get('nocut'):
        b.U[-1]['text'] += ' ' + PROSP_SAYS[0][0]; i = b.say(R, PROSP_SAYS[0][1])
        ev['pricing_language'].append((i - 1, PROSP_SAYS[0][0])); ev['pricing_language'].append((i, PROSP_SAYS[0][1]))
        b.say(P, "Ha. Appreciated.")
    # ---- cutoff
    cut_i = None
    oh = OH[ci]
    def do_pricing():
        nonlocal cut_i
        pre = pending_prefix[0]; pending_prefix[0] = ''
        base = (pick(PLANS, ci) if dq.get('plans') else pick(PRICE, ci))
        pitch = pick(PITCH, ci)
        lead = "Okay, so let me tell you a little about how we'd fit. " + pitch + ' ' + base
        if pre: lead = pre + ' ' + lead
        plk = PL[ci]
        if plk in PL_TEXT and plk != 'p_impl':
            plt = F(PL_TEXT[plk][occ(PL, ci) % len(PL_TEXT[plk])]); lead += ' ' + plt
        else: plt = None
        cut_i = b.say(R, lead)
        if plt: ev['pricing_language'].append((cut_i, plt))
        if plk == 'p_impl': ev['pricing_language'].append((cut_i, base.split('. ')[0] + '.' if not base.split('. ')[0].endswith('.') else base.split('. ')[0]))
        b.say(P, pick(["Mm-hm.", "Okay.", "Right.", "Uh-huh."], ci)); b.say(R, F(pick(PITCH2, ci)))
        if plk == 'p_prosp':
            ps = PROSP_SAYS[ci % 2]; j = b.say(P, ps[0]); k2 = b.say(R, ps[1])
            ev['pricing_language'] += [(j, ps[0]), (k2, ps[1])]
    # ---- objections
    def obj_block(kind, pat, k):
        o = OBJ[kind]; ot = F(o['obj'][(ci // 2 + k) % len(o['obj'])])
        spk = p2[0] if (p2 and k == 1) else P
        oi = b.say(spk, ot); rec = dict(obj=(oi, ot), pat=pat, kind=kind, steps=[])
        t_ = OHTIER.setdefault(ci, ['close', 'para', 'implied'][ci % 3])
        if pat == 'AER':
            a = ACK[t_][(ci // 3 + k) % 2]; e = OBJ_EXPL_SPECIFIC[kind] if t_ == 'close' else EXPL[t_][(ci // 3 + k) % 2]
            i = b.say(R, a + ' ' + e); rec['steps'] += [(i, a), (i, e)]
            b.say(spk, F(o['exp_p'])); r = F(o['resp']); i = b.say(R, r); rec['steps'].append((i, r))
            b.say(spk, pick(["Okay, that's fair.", "Hm. Yeah, that could work.", "Okay. That's actually helpful."], ci, k))
        elif pat == 'AR':
            a = ACK[t_][(ci // 3 + k + 1) % 2]; r = F(o['ar']); i = b.say(R, a + ' ' + r); rec['steps'] += [(i, a), (i, r)]
            b.say(spk, pick(["Maybe. I'd have to think about it.", "Hm. Okay.", "I suppose."], ci, k))
        elif pat == 'EA':
            e = OBJ_EXPL_SPECIFIC[kind]; i = b.say(R, e); rec['steps'].append((i, e))
            b.say(spk, F(o['exp_p'])); a = pick(EA_ACK, ci); i = b.say(R, a); rec['steps'].append((i, a))
            b.say(spk, "Yeah."); m = pick(MOVEON, ci); b.say(R, m); b.say(spk, pick(MOVEON_P, ci))
        elif pat == 'ARGUE':
            r = F(o['argue']); i = b.say(R, r); rec['steps'].append((i, r)); b.say(spk, "Hm. Maybe.")
        elif pat == 'PAST':
            r = F(PAST[(ci // 2 + k) % 2]); i = b.say(R, r); rec['steps'].append((i, r)); b.say(spk, pick(["Okay...", "Uh, sure.", "Mm-hm."], ci, k))
        ohev.append(rec)
    ohev = []
    def do_objections():
        if isinstance(oh, list):
            for k, (kind, pat) in enumerate(oh):
                if b.U[-1]['sp'] != R and not (k == 0 and kind == 'price'):
                    b.say(R, pick(["Anyway — does that roughly make sense so far?", "How's that landing so far?", "Any reactions to any of that?"], ci, k))
                obj_block(kind, pat, k)
        elif oh == 'neutral':
            nq = pick(NEUTRAL, ci)
            if b.U[-1]['sp'] != R: b.say(R, "Any questions for me so far?")
            i = b.say(P, nq[0]); ohev.append(dict(neutral=(i, nq[0]))); b.say(R, nq[1]); b.say(P, "Okay, good to know.")
    afters = dq.get('after', [])
    if not dq.get('nocut'):
        do_pricing()
        first_price = isinstance(oh, list) and oh[0][0] == 'price'
        if first_price:
            do_objections()
            for k, s_ in enumerate(afters): step_block(s_, k=k + 5, after=True)
        else:
            if b.U[-1]['sp'] == R: b.say(P, pick(PRICE_P, ci))
            for k, s_ in enumerate(afters):
                if k == 0: pending_prefix[0] = "Before I forget, a couple more questions."
                step_block(s_, k=k + 5, after=True)
            do_objections()
    else:
        do_objections()
    # ---- close
    if b.U[-1]['sp'] == R: b.say(P, "Yeah.")
    if EXTRA.get(ci, 1) >= 3:
        h = pick(HEARD, ci); b.say(R, F(h[0])); b.say(P, F(h[1]))
    if EXTRA.get(ci, 1) >= 5:
        h = pick(PAD, ci, 5); b.say(R, F(h[0])); b.say(P, F(h[1]))
    if EXTRA.get(ci, 1) >= 6:
        h = pick(HEARD, ci, 4); b.say(R, F(h[0])); b.say(P, F(h[1]))
    for lv in (7, 8, 9):
        if EXTRA.get(ci, 1) >= lv:
            h = MOREPAD[(ci + lv) % len(MOREPAD)]; b.say(R, F(h[0])); b.say(P, F(h[1]))
    w = pick(CLOSE_WRAP, ci); b.say(R, w[0]); b.say(P, w[1])
    cc = pick(CHAT_END, ci); b.say(R, F(cc[0])); b.say(P, F(cc[1]))
    ns = NS[ci]
    if ns in NS_TEXT:
        t = F(NS_TEXT[ns][occ(NS, ci) % len(NS_TEXT[ns])]); i = b.say(R, t); ev['next_step'].append((i, t))
        b.say(P, F(pick(NS_P_OK, ci))); b.say(R, F(pick(NS_R_END, ci))); b.say(P, F(pick(BYE_P, ci)))
    elif ns == 'prospect_day':
        b.say(R, "So what would be a good next step on your side?")
        pd = PDAY[occ(NS, ci) % 3]; j = b.say(P, F(pd[0])); i = b.say(R, pd[1])
        ev['next_step'] += [(j, F(pd[0])), (i, pd[1])]
        b.say(P, "Great. Talk then."); b.say(R, F(pick(BYE_R, ci)))
    else:
        key = 'vague_email' if ns == 'early_only' else ns
        t = NS_FAIL[key][occ(NS, ci) % 2]; i = b.say(R, t); ev['next_step'].append((i, t))
        b.say(P, F(pick(BYE_P, ci))); b.say(R, F(pick(BYE_R, ci)))
    return dict(ci=ci, rep=rep, rep_disp=rep_disp, p1=p1, p2=p2, col=col, fmt=fmt, var=var, U=b.U, ev=ev, dqev=dqev, alev=alev, alneg=alneg,
                volev=volev, ohev=ohev, cut_i=cut_i, firm=firm, short=short, d=d, rng=rng)

def timeline(c):
    rng = random.Random(5000 + c['ci']); t = rng.uniform(0.4, 1.5)
    for u in c['U']:
        words = len(u['text'].split()); wpm = rng.uniform(150, 164) if c['ci'] not in SLOW else rng.uniform(146, 153)
        dur = max(0.6, words / wpm * 60)
        if u['cut']: start = max(t - 0.35, prev_start + 0.5)
        else: start = t + (rng.uniform(0.2, 0.9) if words > 3 else rng.uniform(0.1, 0.5))
        u['start'] = round(start, 2); u['end'] = round(start + dur, 2); t = u['end']; prev_start = u['start']
    return c['U'][-1]['end']

def mmss(x): x = int(x); return f"{x//60:02d}:{x%60:02d}"
def hms(x, sep='.'):
    ms = int(round(x * 1000)); h = ms // 3600000; m = ms // 60000 % 60; s_ = ms // 1000 % 60
    return f"{h:02d}:{m:02d}:{s_:02d}{sep}{ms%1000:03d}"
def clock(x): x = int(x); return f"{x//60}:{x%60:02d}"

def wrap(text, width=70):
    words = text.split(); lines = []; cur = ''
    for w in words:
        if cur and len(cur) + 1 + len(w) > width: lines.append(cur); cur = w
        else: cur = (cur + ' ' + w).strip()
    if cur: lines.append(cur)
    return lines

def split_cues(u):
    # split long utterance into two cues at a sentence boundary (Zoom style); timing split by words
    parts = u['text'].split('. ')
    if len(u['text'].split()) < 30 or len(parts) < 3: return [(u['start'], u['end'], u['text'])]
    h = len(parts) // 2; a = '. '.join(parts[:h]) + '.'; bb = '. '.join(parts[h:])
    frac = len(a.split()) / len(u['text'].split()); mid = round(u['start'] + (u['end'] - u['start']) * frac, 2)
    return [(u['start'], mid, a), (mid + 0.01, u['end'], bb)]

def role_of(c, sp):
    if sp == c['rep_disp']: return 'rep'
    if sp == c['col']: return 'other'
    return 'prospect'

def write(c, meta):
    U = c['U']; var = c['var']; fmt = c['fmt']; lines = []
    slug = c['short'].lower().replace(' ', '-').replace('&', 'and')
    if fmt == 'txt':
        name = f"{c['ci']+1:03d}_{slug}.{'md' if var == 3 else 'txt'}"
        if var in (0, 4): lines.append(f"Ledgerline discovery call — {c['firm']}"); lines.append('')
        for u in U:
            st = int(u['start']); txt = u['text']
            if var == 0: lines.append(f"[{mmss(st)}] {u['sp']}: {txt}")
            elif var == 1: lines.append(f"[{hms(st)[:8]}] {u['sp']}: {txt}")
            elif var == 2: lines.append(f"{u['sp']} ({mmss(st)}): {txt}")
            elif var == 3: lines.append(f"**{u['sp']}** [{hms(st)[:8]}] {txt}"); lines.append('')
            elif var == 4: lines.append(f"{clock(st)} {u['sp']}: {txt}")
            else: lines.append(f"({clock(st)}) {u['sp']}: {txt}")
        data = '\n'.join(lines) + '\n'
    elif fmt == 'vtt':
        name = f"{c['ci']+1:03d}_{slug}.vtt"
        out = ['WEBVTT', '']
        if var % 2 == 0:
            n = 1
            for u in U:
                for (a, e, t) in split_cues(u):
                    out += [str(n), f"{hms(a)} --> {hms(e)}", f"{u['sp']}: {t}", '']; n += 1
        else:
            out += ['NOTE Exported from Microsoft Teams', '']
            rng = random.Random(c['ci'])
            gid = str(uuid.UUID(int=rng.getrandbits(128)))
            for k, u in enumerate(U):
                wl = wrap(u['text'])
                body = [f"<v {u['sp']}>" + wl[0]] + wl[1:]; body[-1] += '</v>'
                out += [f"{gid}/{k+10}-0", f"{hms(u['start'])} --> {hms(u['end'])}"] + body + ['']
        data = '\n'.join(out)
    elif fmt == 'srt':
        name = f"{c['ci']+1:03d}_{slug}.srt"; out = []
        for k, u in enumerate(U):
            sty = var % 3
            sp = f"{u['sp']}: " if sty == 0 else (f"[{u['sp']}] " if sty == 1 else f">> {u['sp']}: ")
            out += [str(k+1), f"{hms(u['start'], ',')} --> {hms(u['end'], ',')}", sp + u['text'], '']
        data = '\n'.join(out)
    elif fmt == 'json':
        name = f"{c['ci']+1:03d}_{slug}.json"
        if var % 2 == 0:
            obj = dict(call_id=meta['call_id'], rep=c['rep'], started_at=meta['started_at'].rstrip('Z'), call_type='discovery', account=c['firm'],
                       duration=round(U[-1]['end'], 1), extra={}, source=None, format='callcoach',
                       speakers=[dict(name=s_, role=role_of(c, s_)) for s_ in dict.fromkeys(u['sp'] for u in U)],
                       utterances=[dict(index=k, speaker=u['sp'], role=role_of(c, u['sp']), start=u['start'], end=u['end'], text=u['text']) for k, u in enumerate(U)], warnings=[])
        else:
            obj = dict(language='en', segments=[dict(start=u['start'], end=u['end'], text=' ' + u['text'], speaker=u['sp']) for u in U])
        data = json.dumps(obj, indent=1, ensure_ascii=False) + '\n'
    else:
        name = f"{c['ci']+1:03d}_{slug}.csv"
        import io
        sio = io.StringIO()
        if var == 0:
            w = csv.writer(sio, lineterminator='\n'); w.writerow(['speaker', 'start', 'end', 'text'])
            for u in U: w.writerow([u['sp'], u['start'], u['end'], u['text']])
        elif var == 1:
            w = csv.writer(sio, lineterminator='\r\n'); w.writerow(['Name', 'Start Time', 'End Time', 'Utterance'])
            for u in U: w.writerow([u['sp'], hms(u['start']), hms(u['end']), u['text']])
        elif var == 2:
            w = csv.writer(sio, delimiter=';', lineterminator='\n'); w.writerow(['speaker', 'start_ms', 'end_ms', 'text', 'role'])
            for u in U:
                r = role_of(c, u['sp']); r = {'rep': 'agent', 'prospect': 'customer', 'other': 'internal'}[r]
                w.writerow([u['sp'], int(u['start'] * 1000), int(u['end'] * 1000), u['text'], r])
        elif var == 3:
            w = csv.writer(sio, lineterminator='\n'); w.writerow(['participant', 'begin', 'stop', 'transcript'])
            for u in U: w.writerow([u['sp'], clock(u['start']), clock(u['end']), u['text']])
        elif var == 4:
            w = csv.writer(sio, delimiter='\t', lineterminator='\n'); w.writerow(['Speaker Name', 'Start Time', 'End Time', 'Content'])
            for u in U: w.writerow([u['sp'], u['start'], u['end'], u['text']])
        else:
            w = csv.writer(sio, lineterminator='\n'); w.writerow(['who', 'timestamp', 'words', 'side'])
            for u in U:
                r = role_of(c, u['sp']); w.writerow([u['sp'], hms(u['start']), u['text'], {'rep': 'rep', 'prospect': 'external', 'other': 'internal'}[r]])
        data = sio.getvalue()
    with open(os.path.join(CALLS, name), 'w', encoding='utf-8', newline='') as fh: fh.write(data)
    return name

def label_rows(c):
    U = c['U']; rows = []
    def E(i, q):
        assert q in U[i]['text'], (c['ci'], i, q, U[i]['text'])
        return f"{mmss(U[i]['start'])} {U[i]['sp']}: \"{q}\""
    J = lambda lst: ' | '.join(E(i, q) for i, q in lst)
    ci = c['ci']; R = c['rep_disp']; dur = U[-1]['end']
    # recording
    rd = RD[ci]; evr = c['ev']['recording_disclosure']
    if rd in ('close', 'para', 'implied'):
        lab, note = 'pass', TIERNAME[rd]; assert U[evr[0][0]]['start'] < 120
    else:
        lab = 'fail'
        note = {'none': 'close (no recording notice at all)', 'late': 'hard-negative:late-disclosure (after 02:00)',
                'notetaker': 'hard-negative:notetaker-no-recorded', 'negated': 'hard-negative:negated-disclosure',
                'prospect': 'hard-negative:prospect-says', 'colleague': 'hard-negative:colleague-says (not the rep)'}[rd]
        if rd == 'late': assert U[evr[0][0]]['start'] >= 120
    rows.append(('recording_disclosure', lab, J(evr), note))
    # pricing
    plk = PL[ci]; evp = c['ev']['pricing_language']
    lab = 'pass' if plk.startswith('p') else 'fail'
    note = {'p_close': 'close (factual list price, discount approval)', 'p_para': 'paraphrased (factual terms, approval path)',
            'p_impl': 'implied (plain price/plan description, no promise)' if c['cut_i'] is not None else 'implied (no pricing talk at all, no promise)',
            'p_neg': 'hard-negative:negated-disclaimer', 'p_prosp': 'hard-negative:prospect-says (rep declines the claim)',
            'f_close': 'close', 'f_para': 'paraphrased', 'f_impl': 'implied'}[plk]
    rows.append(('pricing_language', lab, J(evp), note))
    # discovery
    dq = DQ[ci]; cut = c['cut_i']
    counted = [(i, q) for (i, q, k) in c['dqev'] if k == 'step' and (cut is None or i < cut)]
    stepsmap = []
    for (i, q, k) in c['dqev']:
        pass
    order = [s_ for s_ in dq['before']]
    lab = 'pass' if len(counted) >= 4 else 'fail'
    evl = list(counted)
    if cut is not None:
        first = U[cut]['text'].split('. ')
        # quote the price/plan sentence
        base = (pick(PLANS, ci) if dq.get('plans') else pick(PRICE, ci)).split('. ')[0]
        evl.append((cut, base))
    hn = []
    frs = [(i, q) for (i, q, k) in c['dqev'] if k == 'frag']
    if frs: hn.append('hard-negative:fragment-question'); evl += frs
    if dq.get('after'): hn.append('hard-negative:asked-after-cutoff (' + ', '.join(STEP_NAMES[s_] for s_ in dq['after']) + ')')
    if c['volev']: hn.append('hard-negative:prospect-volunteered (' + ', '.join(STEP_NAMES[v] for v in dq['vol']) + ')')
    if dq.get('pq'): hn.append('hard-negative:prospect-asks-price (rep defers, not the cut-off)')
    if dq.get('nocut'): hn.append('no pricing/plans in call: steps counted anywhere')
    note = TIERNAME[dq['tier']] + '; ' + ('; '.join(hn) + '; ' if hn else '') + f'{len(counted)}/5 ' + 'steps: ' + ', '.join(STEP_NAMES[s_] for s_ in order)
    evl.sort(key=lambda x: x[0])
    rows.append(('discovery_questions', lab, J(evl), note))
    # listening
    n, tier, neg = AL[ci]
    lab = 'pass' if len(c['alev']) >= 2 else 'fail'
    assert len(c['alev']) == n, (ci, len(c['alev']), n)
    evl = list(c['alev'])
    fill = [(k, f) for k, u in enumerate(U) for f in FILLER_R if u['sp'] == R and u['text'].startswith(f)]
    if neg == 'echo': evl += c['alneg']
    if neg == 'filler' and lab == 'fail': evl += fill[:2]
    evl.sort(key=lambda x: x[0])
    parts = []
    if n: parts.append(TIERNAME[tier] + f' ({n} reflection{"s" if n > 1 else ""})')
    else: parts.append('no reflections')
    if neg == 'echo' and c['alneg']: parts.append('hard-negative:single-word-echo')
    if neg == 'filler' and fill: parts.append('hard-negative:filler-acknowledgements')
    rows.append(('active_listening', lab, J(evl), '; '.join(parts)))
    # objections
    oh = OH[ci]
    if oh == 'na': rows.append(('objection_handling', 'na', '', 'close (no pushback from the prospect)'))
    elif oh == 'neutral':
        i, q = c['ohev'][0]['neutral']; rows.append(('objection_handling', 'na', J([(i, q)]), 'hard-negative:neutral-question'))
    else:
        sc = {'AER': 1, 'AR': 2 / 3, 'EA': 1 / 3, 'ARGUE': 0, 'PAST': 0}
        m = sum(sc[p] for _, p in oh) / len(oh)
        lab = 'pass' if m >= 0.7 else 'fail'
        evl = []
        for rec in c['ohev']:
            evl.append(rec['obj']); evl += [x for x in dict.fromkeys(rec['steps'])]
        pats = [p for _, p in oh]; t_ = OHTIER.get(ci, 'close')
        desc = {'AER': 'acknowledge-explore-respond', 'AR': 'acknowledge+respond, no explore (2/3)', 'EA': 'explore then acknowledge, no response (1/3)',
                'ARGUE': 'argues, no acknowledge/explore', 'PAST': 'pitches past the objection (0/3)'}
        kinds = []
        if 'PAST' in pats: kinds.append('hard-negative:pitched-past')
        if 'EA' in pats: kinds.append('hard-negative:out-of-order')
        if 'AR' in pats: kinds.append('hard-negative:skipped-explore')
        tierw = TIERNAME[t_] if ('AER' in pats or 'AR' in pats) else 'close'
        note = '; '.join([tierw] + kinds) + f"; {len(oh)} objection{'s' if len(oh)>1 else ''}: " + ', '.join(f'{k}={desc[p]}' for k, p in oh) + f'; mean {m:.2f}'
        rows.append(('objection_handling', lab, J(evl), note))
    # next step
    ns = NS[ci]; evn = c['ev']['next_step']
    if ns in NS_TEXT:
        lab = 'pass'; note = TIERNAME[ns]
        i = evn[0][0]; assert i >= 0.8 * len(U) and U[i]['start'] >= 0.8 * dur, (ci, i, len(U))
    else:
        lab = 'fail'
        note = {'vague_email': 'close (email follow-up, nothing booked)', 'next_week': 'paraphrased (vague: next week, no day)',
                'whenever': 'close (reach out whenever)', 'prospect_day': 'hard-negative:prospect-names-day (rep only agrees)',
                'early_only': 'hard-negative:early-dated-only (Thursday at three said early, vague close)'}[ns]
    rows.append(('next_step', lab, J(evn), note))
    return rows

def insert_late(c):
    if RD[c['ci']] != 'late': return
    for k, u in enumerate(c['U']):
        if u['sp'] == c['rep_disp'] and u['start'] >= 128 and not u['cut']:
            t = DISC['late'][occ(RD, c['ci']) % 3]; u['text'] = t + ' ' + u['text']
            c['ev']['recording_disclosure'].append((k, t)); timeline(c); return
    raise Exception('no late slot')

def main():
    for fn in os.listdir(CALLS): os.remove(os.path.join(CALLS, fn))
    meta_rows = []; all_rows = []; summary = []
    import datetime
    base = datetime.datetime(2026, 11, 2, 14, 0)
    for ci in range(30):
        prev = None
        for lvl in range(1, 10):
            EXTRA[ci] = lvl
            c = build(ci); dur = timeline(c); insert_late(c); dur = c['U'][-1]['end']
            if len(c['U']) > 60 and prev is not None: c = prev; EXTRA[ci] = lvl - 1; break
            prev = c
            if dur >= 432 + (ci * 13 % 5) * 22 and len(c["U"]) >= 40: break
        if c['U'][-1]['end'] < 425:
            SLOW.add(ci); c = build(ci); timeline(c); insert_late(c)
        dur = c['U'][-1]['end']
        assert 40 <= len(c['U']) <= 60 and 420 <= dur <= 600, (ci, len(c['U']), dur)
        day = base + datetime.timedelta(days=(ci // 3) * 1 + (ci // 15) * 2, minutes=(ci * 97) % 330)
        meta = dict(call_id=f'EV-T4-{ci+1:03d}', started_at=day.strftime('%Y-%m-%dT%H:%M:00Z'))
        name = write(c, meta)
        meta_rows.append([name, meta['call_id'], c['rep'], meta['started_at'], 'discovery', c['firm']])
        rows = label_rows(c)
        for crit, lab, evd, note in rows: all_rows.append([meta['call_id'], crit, lab, evd, 'writer-test4', note])
        words = sum(len(u['text'].split()) for u in c['U'])
        summary.append(dict(call_id=meta['call_id'], file=name, fmt=c['fmt'], var=c['var'], rep=c['rep'], firm=c['firm'], n=len(c['U']), dur=dur, words=words,
                            p2=c['p2'][0] if c['p2'] else '', col=c['col'] or '', labels={r[0]: r[1] for r in rows}))
        for k in range(1, len(c['U'])): assert c['U'][k]['sp'] != c['U'][k-1]['sp']
    with open(os.path.join(CALLS, 'calls.csv'), 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['file', 'call_id', 'rep', 'started_at', 'call_type', 'account']); w.writerows(meta_rows)
    with open(os.path.join(CALLS, 'reps.yaml'), 'w') as fh:
        fh.write('# Ledgerline sales team (invented)\nreps:\n')
        for r, v in REPS.items():
            fh.write(f"  - name: {r}\n    aliases: [{', '.join(v['aliases'])}]\n    team: {v['team']}\n    manager: {v['manager']}\n")
        fh.write('colleagues:\n  - Owen Pratt\n  - {name: Lila Chen, aliases: [Lila]}\n')
    with open(os.path.join(OUT, 'labels.csv'), 'w', newline='') as fh:
        w = csv.writer(fh, lineterminator='\n'); w.writerow(['call_id', 'criterion', 'label', 'evidence', 'reviewer', 'notes']); w.writerows(all_rows)
    json.dump(summary, open(os.path.join(os.path.dirname(__file__), 'summary.json'), 'w'), indent=1)
    for s_ in summary: print(s_['call_id'], s_['fmt'], s_['var'], s_['n'], round(s_['dur']), s_['words'], ' '.join(v[0] for v in s_['labels'].values()))

if __name__ == '__main__': main()
