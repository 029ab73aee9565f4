#!/usr/bin/python3
"""Generates labelled behaviour descriptions in the style of RealBehavior's occasion-based
behaviour test (Zhou et al., Sec. 4.2, Appendix B Table 4): first-person descriptions of what a
person does on a daily-life occasion, labelled 1 (extraverted pole) or 0 (introverted pole).
Synthetic and deterministic, for timing and scaling only -- never for accuracy claims.

    /usr/bin/python3 tests/oracle/classify/gen_descriptions.py N SEED > descriptions.tsv
Output: one "label<TAB>text" line per description, no header, labels balanced at random.
"""
import random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
rng = random.Random(seed)

OCCASIONS = """at parties|during outdoor events|when going on a date|at a social gathering|during a job
interview|before an important event|in a team meeting|on the first day at a new job|at a wedding
reception|during a family dinner|on a long flight|at the gym|in a crowded café|at a music festival|
during a group project|at a networking event|on a weekend trip with friends|at a birthday party|in a
book club|at a neighbourhood barbecue|during a conference talk|in a cooking class|at a museum
opening|while volunteering at a shelter|on a hiking trip|at a karaoke night|in a waiting room|at a
holiday market|during a board game night|at a school reunion|on public transport|in an online
forum|at a sports match|during a workshop|at a housewarming""".replace('\n', ' ').split('|')
OCCASIONS = [o.strip() for o in OCCASIONS]

POS = """start conversations with strangers|introduce myself to everyone|suggest a group activity|
tell funny stories to the whole table|invite people to join us|take the lead in the discussion|dance
with anyone who wants to|organise a toast|ask people about their plans|make new friends quickly|
speak up first|feel energised by the crowd|exchange numbers with several people|keep the
conversation lively|volunteer to present|cheer loudly with the others|plan the next meetup on the
spot|join every game|chat with the hosts|bring people together""".replace('\n', ' ').split('|')
NEG = """stay close to the one person I know|find a quiet corner|listen more than I talk|leave
early to recharge|prefer a deep conversation with one friend|wait for others to approach me|take
short breaks alone|observe before joining in|keep my answers brief|avoid the centre of attention|
feel drained by the noise|text a friend instead of mingling|read the programme carefully|help in
the kitchen rather than mingle|skip the group photo|slip out before the speeches|think before I
speak|choose a seat near the exit|stick to my plan for the evening|enjoy the music without
dancing""".replace('\n', ' ').split('|')
POS, NEG = [p.strip() for p in POS], [p.strip() for p in NEG]
FEEL_POS = ['excited', 'energised', 'talkative', 'enthusiastic', 'cheerful', 'bold', 'outgoing',
            'sociable', 'lively', 'confident']
FEEL_NEG = ['reserved', 'quiet', 'calm', 'thoughtful', 'tired', 'private', 'careful', 'shy',
            'withdrawn', 'reflective']
FILLER = """the weather was mild|the room smelled of coffee|there were about {n} people|the music
was a little loud|we had {n} minutes before it started|the food looked great|my phone battery was
low|the venue was on the {n}th floor|someone had brought a dog|the lights were dim|it was a
Tuesday evening|the tickets cost {n} euros|the café served crème brûlée|a colleague from the {n}
team was there|the schedule changed twice|the chairs were arranged in a circle|the speaker was
late|it started to rain|there was a long queue|the host wore a bright jacket""".replace('\n', ' ').split('|')
FILLER = [f.strip() for f in FILLER]
OPENERS = ['I would', 'I usually', 'I tend to', 'Typically I', 'I often', 'I will probably',
           'Most of the time I', 'I might']
LINKS = ['and then', 'after that', 'while', 'so', 'because', 'although', 'and']
NAMES = ['Alex', 'Sam', 'Maria', 'Chen', 'Fatima', 'Jonas', 'Priya', 'Lucía', 'Noah', 'Amélie',
         'Kofi', 'Yuki', 'Olga', 'Omar', 'Zoë', 'Liam']
# A few thousand rare words, so the vocabulary grows with n as real text does.
SYL = ['ka', 'lo', 'mi', 're', 'tan', 'shu', 'vel', 'dor', 'pi', 'qua', 'zen', 'bro', 'fi', 'gal']
RARE = sorted({''.join(rng.choice(SYL) for _ in range(rng.randint(2, 4))) for _ in range(6000)})


def sentence(label):
    acts = POS if label else NEG
    feel = FEEL_POS if label else FEEL_NEG
    # one action in five comes from the other pole: the classes overlap, as real text does
    pick = lambda: rng.choice(acts if rng.random() > 0.2 else (NEG if label else POS))
    s = f'{rng.choice(OPENERS)} {pick()} {rng.choice(LINKS)} {pick()}'
    if rng.random() < 0.5:
        s += f' with {rng.choice(NAMES)}'
    return s + '.'


out = sys.stdout
for _ in range(n):
    label = rng.randint(0, 1)
    occ = rng.choice(OCCASIONS)
    first = sentence(label)
    parts = [f'{occ[0].upper()}{occ[1:]}, {first}']
    for _ in range(rng.randint(1, 3)):
        parts.append(sentence(label))
    if rng.random() < 0.7:
        f = rng.choice(FILLER).format(n=rng.randint(2, 90))
        parts.append(f'{f[0].upper()}{f[1:]}.')
    feel = FEEL_POS if label else FEEL_NEG
    parts.append(f'I feel {rng.choice(feel)} and a bit {rng.choice(FEEL_POS + FEEL_NEG)} '
                 f'about the {rng.choice(RARE)} {rng.choice(RARE)}.')
    out.write(f'{label}\t{" ".join(parts)}\n')
