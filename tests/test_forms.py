"""The forms a response step is done by beside its phrases: an agreeing opening, an open
question (scoring/forms.py), read from the utterance as written."""
from __future__ import annotations

from pathlib import Path

import pytest

from callcoach.rubric.fields import Before, Opening, Step, Trigger
from callcoach.scoring.checks.forbidden import ForbiddenCheck
from callcoach.scoring.forms import asks_at, done_by

ROOT = Path(__file__).resolve().parent.parent
ACK = Step(id="ack", phrases=["that is a fair concern"],
           opening=Opening(lead=["okay", "yeah", "fair enough"], unless=["but", "actually"]))
EXPLORE = Step(id="explore", phrases=["what are you comparing it to"], open_question=True)


@pytest.mark.parametrize("text, form", [
    ("What's the paper doing for them that they'd be afraid to lose?", "an open question"),
    ("Mm. So can I ask why that is?", "an open question"),
    ("I'm curious, how did the last rollout go?", "an open question"),
    ("That makes sense. And who else would weigh in on it?", "an open question"),
    ("Does that make sense?", None),                    # closed: yes or no
    ("How is Wednesday the fourteenth at nine for a pilot?", None),   # a proposal
    ("How about we get your supervisors on a call?", None),
    ("Can I show you how the dashboard handles it?", None),
    ("What we do is sync it every night.", None),       # no question mark: a statement
    ("what made you go with them", None),               # unpunctuated: nothing to read
    ("Is it the number itself, or how it lands in the budget?", "an open question"),
    ("Can I ask, is that a hard freeze, or just nothing planned?", "an open question"),
    ("Would Tuesday or Wednesday, or Thursday, work better?", None),   # days: a proposal
    ("Walk me through what happens when an alarm fires at night.", "an open question"),
    ("Tell me more about that.", "an open question"),  # a prompt asks openly
    ("What would it take on your end, and how much time could you give it after Monday?",
     "an open question"),                              # a day late in it: still asking
    ("What about Thursday at two?", None),             # the day is what it asks about
    ("Let me walk you through our packages.", None),
    ("Is that working for you?", None),                # closed, no alternatives
    ("What would Dr. Lucero need to see?", "an open question"),   # "Dr." ends no sentence
    ("Neither do I. What would you need to see?", "an open question"),   # "I." does end one
    ("No, I don\u2019t. What would you need?", "an open question"),     # nor does a curly "\u2019t."
    ("Does that make sense, or not?", None),           # a check, not alternatives
    ("Should I send the contract over, or would you rather wait?", None),   # a proposal
    ("Is next week better, or the week after?", None),  # scheduling
    ("Is Tuesday better, or Wednesday?", None),
    ("I was wondering if Thursday at two works for you.", None),   # a prompt offering a day
    ("What if we did April first and locked in today's pricing?", None),   # a proposal
    ("What would it take to get you to a yes today?", None),             # a trial close
    ("What if we lost power, who'd feel it first?", "an open question"),  # a condition
    # a question that changes the subject explores nothing
    ("Anyway, how many trucks are you running now?", None),
    ("Oh, and I meant to ask, are you doing the EVV for Medicaid already?", None),
    ("By the way, what are you using for payroll?", None),
    ("Anyway! Tell me about your waitlist, how long is it?", None),
    ("Different topic. What does your week look like?", None),
    ("Fair. Anyway, the export maps to most systems. Who does your billing?", None),
    ("So that's the background. What's behind the hesitation?", "an open question"),
])
def test_open_questions(text, form):
    found = done_by(EXPLORE, text)
    assert (found[0][1] if found else None) == form


@pytest.mark.parametrize("text, done", [
    ("Okay, that's real, and I'm not going to tell you to walk away from a contract.", True),
    ("Fair enough, thirty-year guys have earned the right to be skeptical.", True),
    ("Yeah, I would not want to be pitching your team a login right now either.", True),
    ("Yeah, but actually we're cheaper than them.", False),   # goes on to argue
    ("Okay.", False),                                         # a bare backchannel
    ("Okay, so what are you comparing it to?", False),        # a question, not agreement
    ("Our pricing is per seat. Yeah, it adds up.", False),    # the turn opens otherwise
])
def test_agreeing_openings(text, done):
    assert bool(done_by(ACK, text)) is done


ACK_ALONE = Step(id="ack", phrases=["that is a fair concern"],
                opening=Opening(lead=["okay", "fair", "understood"], alone=["fair", "understood"]))


@pytest.mark.parametrize("text, done", [
    ("Fair. Switching is a real cost.", True),      # "fair" alone agrees
    ("Understood.", True),
    ("Okay.", False),                                # any other lead alone is a backchannel
    ("Okay, that's real.", True),
    ("Oh, okay.", False),                            # lead words only: still a backchannel
    ("Okay, fair.", True),                           # unless one agrees alone
    ("Okay, okay. Fair, switching is a real cost.", True),   # the opening after it agrees
])
def test_lead_words_that_agree_alone(text, done):
    assert bool(done_by(ACK_ALONE, text)) is done


LEADS_IN = Step(id="ack", phrases=["that is a fair concern"],
                opening=Opening(lead=["okay", "yeah", "oh", "ah", "fair"], alone=["fair"],
                                before_question=True))


@pytest.mark.parametrize("text, form", [
    # "Oh, okay." keeps the floor; what follows is the opening
    ("Oh, okay. That's good to know, and I won't talk you out of a contract. Can I ask when "
     "it's up?", "an opening before a question"),
    ("Ah, okay. When you signed with them, was it only for maintenance?", None),   # no recognition
    ("Yeah, yeah. So what made you go with them?", None),
    # an empty sentence is passed over on the way to the opening
    ("Okay. ... Fair, switching is a real cost.", "an agreeing opening"),
    ("Oh, okay. ... That's good to know. What's behind it?", "an opening before a question"),
    # a question that changes the subject is nothing to lead into, nor is moving on recognising
    ("That's a real concern for a shop your size. Anyway! Tell me about your waitlist.", None),
    ("Anyway, that's a real concern for a shop your size. What's driving it?", None),
])
def test_the_opening_comes_after_backchannels_and_leads_into_no_change_of_subject(text, form):
    found = done_by(LEADS_IN, text)
    assert (found[0][1] if found else None) == form


CUT = Before(name="pricing", phrases=["our pricing starts at"], price=True)


@pytest.mark.parametrize("text, price", [
    ("For forty-five people, it's twenty-eight dollars per user per month.", True),
    ("Honestly? That's eleven hundred a location a month.", True),
    ("List is $38 a seat, and onboarding is included.", True),
    ("It's $2,400 one time.", True),
    ("That works out to $38.50 a seat for Mr. Okafor's team.", True),
    ("It comes to about 3,200 a month for eighteen hundred accounts.", True),
    ("So you lose two days a month to that.", False),           # a number, not a price
    ("That's costing you forty thousand a year, easy.", False),  # the prospect's loss
    ("Is it more than fifty dollars a head today?", False),     # a question
    ("We cut month-end close by three days.", False),
    ("For forty recruiters it's a hundred nineteen per seat per month.", True),
    ("Core is seventy-nine dollars a month.", True),
])
def test_stated_prices(text, price):
    assert bool(done_by(CUT, text)) is price


OBJECTION = Trigger(name="objection", phrases=["that is more than we want to spend"], pushback=True)


@pytest.mark.parametrize("text, pushes", [
    ("That's a lot more than Bluebeam, I'll be honest with you.", True),
    ("Two twenty-five a month is more than I'd want to pay.", True),
    ("Honestly, that's a lot for a concrete sub.", True),
    ("There's no money for this right now.", True),
    ("We're pretty happy with what we've got.", True),
    ("I don't really see that we need software for this.", True),
    ("We just renewed with Accubid for another two years.", True),
    ("It's not really a priority until spring.", True),
    ("We don't have anyone who could take this on right now.", True),
    ("I can't sign off on this myself.", True),
    ("I'd need my partner to sign off first.", True),
    ("Those platforms are pretty expensive for a shop our size.", True),
    ("Nine dollars a seat seems high for a team this small.", True),
    ("We never budgeted for anything like this.", True),
    ("Honestly, our old setup has been fine for us.", True),
    ("We signed with another vendor back in the spring.", True),
    ("This is way down my list until March.", True),
    ("I just don't have the staff for a rollout.", True),
    ("My techs are maxed out as it is.", True),
    ("Hiring season, so the branches are slammed.", False),                   # small talk
    ("I'll need Marta to bless it before I can commit.", True),
    ("That's too rich for a company our size.", True),
    ("Honestly, the spreadsheet does the job.", True),
    ("We're pretty happy with Procore.", True),
    ("We're not in the market for anything this year.", True),
    ("I can't sign anything without our controller.", True),
    ("I'd never get another system past IT.", True),
    ("We don't really need anything new there.", True),
    ("We signed a two-year renewal with them in March.", True),
    ("It's a non-starter at that number.", True),
    ("If it can't do assemblies, it's a non-starter.", False),                 # a requirement
    ("I'm happy with that, send the invite.", False),                           # agreeing
    ("We use QuickBooks for invoicing and a spreadsheet for the rest.", False),  # describes
    ("And the welfare side matters, so it's more than money.", False),         # not the price
    ("The alarm beeps all night and there's nobody here to hear it.", False),  # the pain
    ("Honestly our turnover seems really high this year.", False),             # the pain
    ("I'm happy with the demo so far.", False),
    ("That did the trick last winter.", False),
    ("There's no one with the skills to run it.", True),
    ("Tuesday works. Let me check with the foreman, but I can do it.", True),  # known: reads
                                                                               # as authority
    ("Well, deeper trench means shoring, and shoring is expensive.", False),     # not the price
    ("It means more reprints, which we can't afford.", False),                   # the pain
    ("Our CFO signs anything over twenty thousand.", False),                    # who decides
    ("Sure, I'm fine with it.", False),
    ("Is that more than the standard plan?", False),                            # a question
    ("I'd still need to run it past Dr. Lucero before I commit to anything.", True),
    ("That's too rich for grocery margins.", True),
    ("They're not keen on spending money this year.", True),
    ("Honestly, our suppliers just won't log in.", True),
    ("I'll check by Friday and get back to you.", False),                       # a date
    ("I can't afford to lose her, she's the best we've had.", False),           # the pain
    ("We can't afford to keep losing jobs like that.", False),                  # the pain
    ("Honestly our techs never log in to the current system.", False),          # the pain
    ("We have no time for this right now.", True),
    ("Honestly, the budget's all spent this year.", True),
    ("We're happy enough with PetChart itself.", True),
    ("The whole thing sounds expensive.", True),
    ("I don't really see the need for another one.", True),
    ("That's out of our budget this year.", True),
    ("See, that's about double what we pay for Jobwise now.", True),
    ("Money's tight, we had a rough winter.", True),
    ("We're fine with QuickBooks and a calendar.", True),
    ("We're fine with that.", False),                                          # agreeing
    ("We're happy enough as we are, even if it's clunky.", True),
    ("Lydia and I have a system, and it works.", True),
    ("That's how it works.", False),                                            # describes
    ("It's clunky but it works.", False),                                       # describes
    ("I don't really need a system for this.", True),
    ("We're already evaluating another vendor.", True),
    ("We tried one of these four years ago. Total disaster.", True),
    ("She's been burned by a training system nobody logged into.", False),      # the past
    ("Honestly, the timing's bad.", True),
    ("I'd need his approval, and I'm not sure I'd get it.", True),
    ("He's gonna say no, he wrote the check for the last one.", True),
    ("Your number's way higher than what we're paying RecruitPilot now.", True),
    ("It's probably a bit outside what we can spend right now.", True),
    ("My GMs are not going to log into another thing.", True),
    ("My recruiters are gonna riot, man.", True),
    ("If it doesn't play nicely with ADP she'll riot.", False),                 # a condition
    ("I need approval from our plant manager for anything.", True),
    ("Nothing happens without my boss signing off.", True),
    ("Seventy-eight hundred a year? That's too much.", True),
    ("We do it all on paper and it works fine.", True),
    ("That's a hard number for us, honestly.", True),
    ("I can't do anything until the board signs off.", True),
    ("It does all right.", True),
    ("No, that's it. That's more than I'd have said myself.", False),           # a compliment
    ("We just don't have the time to be chasing records.", False),              # the pain
    ("We don't have time to learn a new system right now.", True),
    ("Yeah, I'm fine with you recording.", False),                              # agreeing
    ("We're fine with a call next Tuesday.", False),
    ("I'm not gonna say no to a discount.", False),
    ("I need the green light from my boss.", True),
    ("I'd need my boss's sign off.", True),
    ("But it is working okay.", True),
    ("And that's good enough, honestly.", True),
    # families read by shape (v13), for the kinds LABELLING.md names; a past story or a worry
    # about switching is not one of them
    ("To be honest, our postcards work fine.", True),
    ("Tuesday works fine, send it over.", False),                              # scheduling
    ("That works for us.", False),                                             # scheduling
    ("We're fine, honestly. It does what we need.", True),
    ("We're fine, thanks for asking.", False),                                 # small talk
    ("I'm not looking to fix something that isn't broken.", True),
    ("I'd never switch anything in the middle of the year.", True),
    ("I'm not retraining everybody in the middle of the year.", True),
    ("We can't change routes quickly when a driver calls out.", False),       # the pain
    ("I don't see a burning reason to rip it out.", True),
    ("The idea of moving everything out of VetChart makes me want to lie down.", False),  # a worry
    ("We can maybe revisit in the fall.", True),
    ("Can we maybe revisit in the fall?", False),                              # a question
    ("Would my manager have to approve it?", False),                           # a question
    ("Let's reconnect next week with the controller.", False),                 # scheduling
    ("Nothing's happening before June anyway.", True),
    ("Software isn't really something I'm thinking about this year.", True),
    ("This isn't really top of the list right now.", True),
    ("I can't do anything like this without Phil.", True),
    ("I can't move a truck without someone calling the office.", False),       # the pain
    ("Gotta get Dr. Li's okay first.", True),
    ("She doesn't want more software subscriptions this year.", True),
    ("And let me guess, the answer is another app.", True),
    ("We use another system for payroll.", False),                             # describes
    ("Honestly, I'm a bit wary.", True),
    ("We've spent our software budget for this year already.", True),
    ("Honestly our transportation budget is spoken for.", True),
    ("We don't have twenty-three grand lying around.", True),
    ("I must be honest, this is a little bit much for us.", True),
    ("For us it's maybe too much.", True),
    ("We spend too much time on paper.", False),                               # the pain
    ("I just don't have the people to take on a project right now, you know?", True),
    ("Maybe now is not the best moment for us.", True),
    ("Also, to be honest, the budget is small.", True),
    ("We haven't set anything aside for this.", True),
    ("Moving four hundred cleaners onto a new app is a nightmare.", False),   # a worry
    ("This just isn't on my list this year.", True),
    ("We tried a scheduling app in 2022 and the cleaners hated it.", False),  # the past
    ("Last time we switched, it was a nightmare.", False),                     # the past
    ("I'm not the one who signs anyway.", True),
    ("New software isn't even on the list. Call me in the spring.", True),
    ("Too expensive.", True),
    ("Call me back when you have the numbers.", False),
    ("This I must say, I cannot decide anything.", True),
    ("I can't decide between Tuesday and Wednesday.", False),                  # scheduling
    ("That's a real number for us, you know.", False),                         # known: may
                                                                               # be the pain
    ("Software is not exactly priority number one.", True),
    ("I'm not looking for software, I get three of these calls a week.", True),
    ("We just don't have it budgeted this year.", True),
    ("For that price you should come over and unclog the sinks yourself.", True),
    ("For us this is maybe a little bit expensive.", True),
    ("It is not that expensive.", False),                                      # negated
    ("I'm not sure I'd pay that every month for something I already have.", True),
    ("I must ask Mr. Whitfield first, before anything.", True),
    ("There's nothing left for software.", True),
    ("Right now is just not the time.", True),
    ("Is now a bad time for you?", False),                                     # small talk
    ("We are quite satisfied with our current system.", True),
    ("This is a really bad moment.", True),
    ("I can't take on a new system until summer, realistically.", True),
    ("Do we even need this? We've been fine for six years.", True),
    ("I'm not learning a whole new piece of software at this point in my life.", True),
    ("It's just not at the top of the pile for me.", True),
    ("Oh, that's double what I was thinking.", True),
    ("I don't think my husband's going to go for that.", True),
    ("The guys know it, I'm not sure I want to rock the boat.", True),
    ("We literally don't have seven hundred a month sitting around right now.", True),
    ("Last week we went ahead and signed with SnowDesk for the winter.", True),
    ("But I'm not the one who can say yes.", True),
    ("Mr. Dekker will have to approve this.", True),
    ("Nobody's got a spare minute to sit through training.", True),
    ("It's too much for one person to keep track of.", False),                 # the pain
    ("Nobody has time to update the spreadsheet.", False),                     # the pain
    ("The afternoon slot works for us.", False),                               # scheduling
    ("I'm happy with Tuesday at two.", False),                                 # scheduling
    ("We have allocated budget for this in Q3.", False),                       # a yes
    ("Another app we use is QuickBooks.", False),                              # describes
    ("We're not moving fast enough on quotes.", False),                        # the pain
    ("Turnover is really high for a shop our size.", False),                   # the pain
    ("The owner will have to green light this.", True),
    ("Then we walk it over to whoever needs to approve it.", False),           # today's process
    ("That's real money for a practice our size.", False),                     # the pain
    ("I got no time to mess with software right now.", True),
    ("Ours works great, thanks.", True),
    ("Nobody here has time to learn anything new.", True),
    ("This is not the most important thing right now.", True),
    ("So it's really his call, not mine.", True),
    ("I don't see why we'd pay for another thing that does the same.", True),
    ("I don't see why we'd replace the spreadsheet.", True),
    ("We don't need the online booking part.", True),
    ("Dr. Walsh has to approve anything like this.", True),
    ("Ray has to approve anything over five grand.", False),                   # who decides
    ("We signed two years with Bookwell in January.", True),
    ("I just can't see us finding the money for anything else this year.", True),
    ("Anything that costs money, Mr. Pugh has to greenlight it.", True),
    ("I wouldn't sign anything without her say-so.", True),
    ("See, that's where you lose me.", True),
    ("Three twenty-nine is high for us.", True),
    ("They're free, the parents know them, I don't really see us switching.", True),
    ("Nothing gets bought here without our VP of operations.", True),
    ("Nobody's got the time to learn a computer right now.", True),
    ("I can't really say yes to anything without running it by my dad first.", True),
    ("This is really a next-winter project for us.", True),
    ("The capital budget for this year is gone.", True),
    ("I'm happy with the cards, they're part of the place.", True),
    ("We had an ATS before, and the migration was a nightmare.", False),       # the past
    ("We don't need all that fancy stuff.", True),
])
def test_push_back(text, pushes):
    assert bool(done_by(OBJECTION, text)) is pushes


PROMISES = ForbiddenCheck(type="forbidden", phrases=["we guarantee results"], promise=True)


@pytest.mark.parametrize("text, promised", [
    ("You won't have another finding. I'd put my name on that.", True),
    ("Whatever they charged you, we'll match it. Any number they give you.", True),
    ("The interest alone will more than cover the subscription.", True),
    ("You really can't lose here.", True),
    ("None of our hospitals have ever ended up spending more on this than it saved them.", True),
    ("I can't promise you'll cut your tickets in half.", False),   # a disclaimer
    ("I don't match prices and I don't guarantee turnaround.", False),
    ("Nobody honest can promise that.", False),
    ("Our list price covers onboarding and support.", False),
    ("Can you match what they quoted?", False),                    # a question
    ("Whatever they quote you, we'll meet it.", True),
    ("We'll undercut whoever you're talking to.", True),
    ("There's zero risk on your end.", True),
    ("I'll put it in writing that your write-offs go down.", True),
    ("That's the best price you'll find anywhere.", True),
    ("We can't meet that number, and I won't pretend otherwise.", False),
    ("If it doesn't pay off in six months, we'll give you your money back.", True),
    ("I can personally assure you the no-shows will drop.", True),
    ("The module covers its own cost in a month.", True),
    ("You won't find anyone cheaper for a team your size.", True),
    ("Nobody touches our price.", True),
    ("We can match their export format.", False),                  # not a price
    ("I'll put it in writing in the order form.", False),          # contract terms
    ("I'd love to meet them next week.", False),                   # scheduling
    ("We can meet whatever timeline you need.", False),
    ("I guarantee your utilization goes up within ninety days.", True),
    ("I promise I'll send it over tonight.", False),               # not an outcome
    ("Zero risk, seriously.", True),
    ("You're basically taking no risk here.", True),
    ("The subscription kind of covers itself.", True),
    ("Most clinics make that back within a quarter, easy.", True),
    ("The photos never make it back to the office.", False),       # not money
    ("If you don't see a return in six months, I'll personally refund you.", True),
    ("I'll stake my name on it.", True),
    ("I'll make sure the number works, whatever the others come back with.", True),
    ("So the templates are the thing you can't lose.", False),     # a playback
    ("The invoice has a read receipt so they can't lose it.", False),
    ("You said they guaranteed to beat anyone's price.", False),   # what another said
    ("I know you said price matters, but we'll match any number they give you.", True),
    ("We don't refund the setup fee.", False),
    ("I wouldn't bet my job on it.", False),
    ("Those are records we can't lose.", False),
    ("Whatever they quote, read the fine print.", False),
    ("I promise a callback by Friday.", False),
])
def test_promises(text, promised):
    assert bool(done_by(PROMISES, text)) is promised


def test_a_turn_is_read_sentence_by_sentence():
    """A disclaimer or a loss in one sentence of a turn does not cover another sentence's
    promise or price (the whole-turn test before the sentences must not drop them)."""
    from callcoach.matching import Document
    from callcoach.scoring.forms import _Forms

    turn = ("And I'll be honest, I can't promise you a specific number. But the gains cover the "
            "subscription several times over.")
    assert _Forms.of(PROMISES).may_do(turn, Document.from_texts([turn]).texts[0])
    assert [f for _, f in done_by(PROMISES, turn)] == ["a promise"]
    turn = "That's costing you forty grand a year. For your team it's thirty-eight a seat."
    assert _Forms.of(CUT).may_do(turn, Document.from_texts([turn]).texts[0])
    assert [f for _, f in done_by(CUT, turn)] == ["a price"]
    # a cue anchored at a sentence's end, in a sentence that does not end the turn
    for part, turn in [(OBJECTION, "It does all right. We have had it for years."),
                       (OBJECTION, "That's too much. Sorry."),
                       (PROMISES, "You can't lose. Let's get started.")]:
        assert _Forms.of(part).may_do(turn, Document.from_texts([turn]).texts[0]), turn
        assert done_by(part, turn), turn


@pytest.mark.parametrize("text, asks", [
    ("What does that do to your numbers?", True),
    ("Tell me how you put a bid together today.", True),
    ("So walk me through what happens when an order comes in.", True),
    ("I'm curious how the reports make it back to you from the sites.", True),
    ("What I'd like to do is understand how you're handling renewals.", True),
    ("Remind me how the schedule gets built today.", True),
    ("It's a real number.", False),                       # a statement that shares words
    ("Let me tell you what it would cost.", False),       # telling, not asking
    ("So let me walk you through our packages.", False),
    ("Got it. That's how much it costs you.", False),
    ("I understand what you're saying.", False),          # agreeing, not asking
    ("Let me explain how it works.", False),
    ("I'll share my screen.", False),
    ("No wonder the audits hurt.", False),
    ("Let's start with what the platform does.", False),
    ("You'll get a feel for it in the demo.", False),
    ("Remind me to send that over.", False),
    ("Could you describe how a typical week runs.", True),
    ("I'm curious about how the hand-off works.", True),
    ("Paint me a picture of how a claim gets out the door.", True),
])
def test_a_sentence_asks_by_a_question_mark_or_a_prompt(text, asks):
    from callcoach.matching import Document

    assert asks_at(text, Document.from_texts([text]).texts[0], 0) is asks


@pytest.mark.parametrize("text, sentence, asks", [
    ("It hurts your numbers. Who else is involved?", 0, False),
    ("It hurts your numbers. Who else is involved?", 1, True),
    ("It hurts your numbers... Who else is involved?", 0, False),   # "..." alone: no sentence
    ("Tell me how it works today. We have a module for that.", 0, True),
    ("Tell me how it works today. We have a module for that.", 1, False),
])
def test_only_the_sentence_holding_the_match_decides(text, sentence, asks):
    from callcoach.matching import Document

    norm = Document.from_texts([text]).texts[0]
    assert asks_at(text, norm, norm.sentence_offsets()[sentence]) is asks


LEAD_IN = Step(id="ack", phrases=["that is a fair concern"],
               opening=Opening(lead=["okay", "yeah"], unless=["but", "actually"],
                               before_question=True))


@pytest.mark.parametrize("text, form", [
    ("Three jobs topping out before the holidays, I wouldn't want a new login either. "
     "Can I ask what a rollout would have to look like?", "an opening before a question"),
    ("Twenty-five years on a legal pad, so clearly it works for you. Can I ask, what happens "
     "when you're out for a week?", "an opening before a question"),
    ("Yeah, that's fair. What are you comparing it to?", "an agreeing opening"),
    ("Three jobs topping out before the holidays, I wouldn't want a new login either.", None),
    ("Well, their module doesn't do self-scheduling. What's making you lean toward it?", None),
    ("No, see, that's not apples to apples. What did they quote you?", None),
    ("It's different, actually, we do more. What did they quote you?", None),
    ("Totally get it. Does that make sense?", None),          # closed: no exploring question
    ("Our platform does self-scheduling out of the box. What are you using today?", None),
    ("Let me ask you this. What would change your mind?", None),   # moving on, not recognising
    ("Good point, and budgets are tight. If that is what you need, should we book a demo?",
     None),                                                   # the question after the condition
    ("Two projects at once, that's plenty on anyone's plate. If we did this now, who would "
     "feel it?", "an opening before a question"),             # a question after a condition
    ("What are you comparing it to?", None),                  # the question alone explores
    ("Good enough is a real bar, and that counts for something. Walk me through what happens "
     "when one fires at two in the morning.", "an opening before a question"),   # a prompt
    ("That's helpful to know up front, thanks for saying it. Is that a hard freeze until "
     "July, or just nothing planned for software?", "an opening before a question"),
    ("That's important, thanks for telling me now. What's kept the U.S. plants off it so far?",
     "an opening before a question"),                         # "U.S." ends no sentence
    # answering first is not recognising: the rep's own side, or what the prospect will get
    ("Setup is mostly on our side, about three hours of your time. What's eating their day?",
     None),
    ("The nice thing is you wouldn't lose the calendar. What do you like about the sheet?",
     None),
    ("Honestly the onboarding team does it, you won't have to. How's January looking?", None),
])
def test_an_opening_before_a_question_acknowledges(text, form):
    found = done_by(LEAD_IN, text)
    assert (found[0][1] if found else None) == form


def test_without_before_question_only_an_agreeing_opening_acknowledges():
    text = "Twenty-five years on a legal pad, so it works for you. Can I ask what happens next?"
    assert done_by(ACK, text) == []


@pytest.mark.parametrize("text", [
    "No, I don\u2019t. What would you need?", "Ask Dr. Lucero. The U.S. plants? Marcus O. said no.",
    "Neither do I. Plan B. It's at 3 p.m. Does that work?", "We\u2019re in the U.S. How about you?",
])
def test_forms_and_normalising_cut_the_same_sentences(text):
    """forms read the text as written, scoring its normalised sentences: both must agree on
    where sentences end, or a question is read in the wrong sentence."""
    from callcoach.matching import Document
    from callcoach.scoring.forms import written_sentences

    assert len(written_sentences(text)) == len(Document.from_texts([text]).texts[0].sentences)


@pytest.mark.parametrize("text, cut", [
    ("i understand a new folder is a big expense this is normal can i ask when the new year "
     "starts is there some money",
     "i understand a new folder is a big expense this is normal. can i ask when the new year "
     "starts is there some money?"),
    ("fair more than what what number did you have in mind",
     "fair more than. what what number did you have in mind?"),
    ("how many trucks do you run today", "how many trucks do you run today?"),
    ("whats the biggest headache right now", "whats the biggest headache right now?"),
    ("thats how we did it last year", "thats how we did it last year."),   # a pronoun: states
    ("what we do is sync it every night", "what we do is sync it every night."),
    ("i know what you mean", "i know what you mean."),
    ("okay who else would be involved in that", "okay. who else would be involved in that?"),
    ("got it how many of your techs do the invoicing",
     "got it. how many of your techs do the invoicing?"),
    # a clause hangs on the question word, a filler, a promise to find out: no question
    ("the reason why is the drivers are out", "the reason why is the drivers are out."),
    ("the question is how do we get your guys on board",
     "the question is how do we get your guys on board."),
    ("what do you call it the dispatch board", "what do you call it the dispatch board."),
    ("how do i put this the price already includes it",
     "how do i put this the price already includes it."),
    ("let me ask what the other guys pay", "let me ask what the other guys pay."),
])
def test_a_turn_without_punctuation_is_cut_where_a_question_starts(text, cut):
    from callcoach.matching.normalize import normalize_many
    from callcoach.scoring.forms import cut_at_questions

    assert cut_at_questions(normalize_many([text])[0]) == cut


@pytest.mark.parametrize("text", [
    "thats fair whats behind that", "i hear you whats driving that",
    "okay who else would be involved in that", "fair what number did you have in mind",
])
def test_an_unpunctuated_question_once_cut_explores(text):
    from callcoach.matching.normalize import normalize_many
    from callcoach.scoring.forms import cut_at_questions

    assert [form for _, form in done_by(EXPLORE, cut_at_questions(normalize_many([text])[0]))] \
        == ["an open question"]


def test_without_punctuation_an_objection_is_explored_by_a_question_in_its_words(tmp_path):
    """A speech-to-text transcript with no punctuation: the rep's question inside a turn still
    explores the objection, where before no question could be told."""
    from callcoach.rubric.loader import load_rubric
    from callcoach.scoring.compile import compile_rubric
    from callcoach.scoring.engine import score_transcript
    from scoring_helpers import make_rows, make_transcript

    rubric = load_rubric(ROOT / "rubrics" / "five-step-discovery.yaml")
    call = make_transcript(make_rows([
        ("rep", 0, "so how do you handle scheduling today"),
        ("prospect", 10, "honestly we dont have budget right now we bought a new folder this "
                         "year and the money is gone"),
        ("rep", 20, "i understand a new folder is a big expense can i ask when the new year "
                    "starts is there some money again"),
        ("prospect", 30, "in march there is a new budget"),
        ("rep", 40, "okay then we plan for march and until then we count the overtime you pay"),
    ]), call_id="unpunctuated")
    result = next(r for r in score_transcript(call, compile_rubric(rubric)).results
                  if r.id == "objection_handling")
    assert result.score == 1.0, result.reason
