//! Note points: the places where a lab asks the student to note a value.
//!
//! Most values are asked for in prose, not in a memo block: a sentence or a heading whose verb
//! is 메모 in one of its forms (메모한다, 메모합니다, 메모하고, 메모하여, 메모해 둔다, 메모한 뒤, …,
//! an emoji may sit inside or after it: `메모📝합니다`, `메모✏️ 합니다`), or a heading ending in
//! 메모. Each one is kept on its step with the phrase that names what to note, split into
//! value names ("Identifier와 ARN" → `Identifier`, `ARN`; a value in backquotes wins). A phrase
//! that names nothing in particular ("출력된 결과를 메모합니다") is *generic*: it asks for the
//! output the student has just seen. A memo-block entry is a note point too.
//!
//! Adnominal forms (메모한 값, 메모해 놓은 …) describe a value noted before and are not note
//! points; neither is text in code, in a memo block or inside a `<<placeholder>>`.
//!
//! Pure: the lab's text and an [`Outline`] of its parse in (the lab parser gives it, so this
//! module does not know the lab model), note points out. Linear in the size of the lab
//! (one memmem pass over `메모`).

use std::ops::Range;

use crate::names;

/// What the finder reads of a parsed lab.
pub(crate) struct Outline<'a> {
    /// The steps in document order.
    pub steps: Vec<OutlineStep<'a>>,
    /// The memo entries: key and the entry's line.
    pub memo_entries: Vec<(&'a str, Range<usize>)>,
    /// Where a `메모` is no instruction, besides the step headings: code blocks, memo blocks,
    /// placeholders, the title.
    pub skip: Vec<Range<usize>>,
}

/// One step of an [`Outline`].
pub(crate) struct OutlineStep<'a> {
    pub title: &'a str,
    /// The heading in the lab's bytes.
    pub span: Range<usize>,
    /// The enclosing step.
    pub parent: Option<usize>,
}

/// Where the instruction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    Sentence,
    Heading,
    Memo,
}

/// One instruction to note one or more values.
#[derive(Debug, Clone, PartialEq)]
pub struct NotePoint {
    pub kind: PointKind,
    /// Index of the step that holds it; `None` before the first step (a memo block).
    pub step: Option<usize>,
    /// What the lab says there, markup removed: the sentence, the heading title, the memo key.
    pub text: String,
    /// The values it names, as the lab writes them (particles and qualifiers removed); empty
    /// for a generic phrase.
    pub names: Vec<String>,
    /// Tokens (see [`names::tokens`]) of the words around the names that narrow them down:
    /// the step's title, the owner in "인스턴스의 public ip".
    pub context: Vec<String>,
    /// The sentence (or heading, or entry line) in the lab's bytes.
    pub span: Range<usize>,
}

impl NotePoint {
    pub fn is_generic(&self) -> bool {
        self.names.is_empty()
    }
}

/// Every note point of the lab outlined by `lab` (parsed from `text`), in document order.
pub(crate) fn find(text: &str, lab: &Outline) -> Vec<NotePoint> {
    // Most labs say 메모 a few times, or only in their memo block's label: the places where
    // it is no instruction are gathered when the first one is found.
    let mut skip: Option<Skip> = None;
    let mut found: Vec<NotePoint> = Vec::new();
    let mut prev_verb_end = 0usize;
    let bytes = text.as_bytes();
    for pos in memchr::memmem::find_iter(bytes, "메모".as_bytes()) {
        if skip
            .get_or_insert_with(|| Skip::of(text, lab))
            .covers(text, pos)
        {
            continue;
        }
        let Some(verb_end) = verb_end(text, pos) else {
            continue;
        };
        // The clause that names the value starts after the previous verb; the sentence shown
        // is the whole one.
        let start = sentence_start(text, pos, prev_verb_end);
        let shown = sentence_start(text, pos, 0);
        prev_verb_end = verb_end;
        let end = sentence_end(text, verb_end);
        let clause = &text[start..pos];
        let (names, owners) = phrase_names(clause);
        let step = step_at(lab, pos);
        found.push(NotePoint {
            kind: PointKind::Sentence,
            step,
            text: clean(&text[shown..end]),
            names,
            context: context_of(lab, step, &owners),
            span: shown..end,
        });
    }
    for (i, s) in lab.steps.iter().enumerate() {
        if let Some(phrase) = heading_phrase(s.title) {
            let (names, owners) = phrase_names(phrase);
            found.push(NotePoint {
                kind: PointKind::Heading,
                step: Some(i),
                text: s.title.to_string(),
                names,
                context: context_of(lab, Some(i), &owners),
                span: s.span.clone(),
            });
        }
    }
    found = refine(found);
    for (key, line_span) in &lab.memo_entries {
        let step = step_at(lab, line_span.start);
        found.push(NotePoint {
            kind: PointKind::Memo,
            step,
            text: key.to_string(),
            names: vec![key.to_string()],
            context: Vec::new(),
            span: line_span.clone(),
        });
    }
    found.sort_by_key(|n| n.span.start);
    found
}

/// Within one step, the specific note points refine the vague ones: a heading note point
/// (`1-4. 생성된 Repo URL 메모`) gives way to the sentences of its step, and a generic
/// sentence gives way to specific ones of the same step; one generic note point is left for a
/// step that has nothing more specific. Linear: one pass to learn what each step has.
fn refine(found: Vec<NotePoint>) -> Vec<NotePoint> {
    use std::collections::{HashMap, HashSet};
    // Per step: (has a sentence, has a specific sentence).
    let mut has: HashMap<usize, (bool, bool)> = HashMap::new();
    for n in found.iter().filter(|n| n.kind == PointKind::Sentence) {
        if let Some(s) = n.step {
            let e = has.entry(s).or_default();
            e.0 = true;
            e.1 |= !n.is_generic();
        }
    }
    let mut generic_kept: HashSet<usize> = HashSet::new();
    let mut out: Vec<NotePoint> = Vec::new();
    for n in found {
        let Some(step) = n.step else {
            out.push(n);
            continue;
        };
        let (sentence, specific) = has.get(&step).copied().unwrap_or_default();
        let keep = match n.kind {
            PointKind::Heading => !sentence,
            PointKind::Sentence if n.is_generic() => {
                let first = generic_kept.insert(step);
                !specific && first
            }
            PointKind::Sentence | PointKind::Memo => true,
        };
        if keep {
            out.push(n);
        }
    }
    out
}

/// Byte ranges where a `메모` is not an instruction: code, memo blocks, placeholders, headings
/// (headings are looked at on their own, by title).
struct Skip {
    ranges: Vec<Range<usize>>,
}

impl Skip {
    fn of(text: &str, lab: &Outline) -> Skip {
        let mut ranges: Vec<Range<usize>> = lab.steps.iter().map(|s| s.span.clone()).collect();
        ranges.extend(lab.skip.iter().cloned());
        // Prose before the first step introduces the lab (its goal, its table of contents):
        // it describes what the lab will do, it asks for nothing yet. The memo block there
        // is read as entries (see `find`), not as prose.
        let first_step = lab.steps.first().map_or(text.len(), |s| s.span.start);
        ranges.push(0..first_step);
        ranges.sort_by_key(|r| r.start);
        Skip { ranges }
    }

    /// Whether the `메모` at `pos` of `text` stands where it is no instruction: in one of the
    /// ranges, or on a line that states a goal (`ⓘ 실습목표 : …`, `목표: …`, `Goal: …`: a
    /// sentence about the lab wherever it stands; a section may state its own goal).
    fn covers(&self, text: &str, pos: usize) -> bool {
        // Ranges may nest (a placeholder inside code), so look back over the ones that start
        // before `pos` until one ends after it; starts are sorted.
        let i = self.ranges.partition_point(|r| r.start <= pos);
        if self.ranges[..i]
            .iter()
            .rev()
            .take(64)
            .any(|r| r.contains(&pos))
        {
            return true;
        }
        let start = line_start(text, pos);
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        is_goal_line(&text[start..end])
    }
}

/// Whether a line states a goal: it starts with `ⓘ`, or the label before its first `:` is
/// a goal (`목표`, `실습 목표`, `Goal`, `Objectives`), markup and bullets aside. The label
/// must end with the word: in `목표 서버 IP: … 메모합니다` 목표 only qualifies the value the
/// line asks to note, and that line is an instruction.
fn is_goal_line(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '>' | '-' | '*' | '_' | '#')
    });
    if t.starts_with('ⓘ') {
        return true;
    }
    let Some((label, _)) = t.split_once([':', '：']) else {
        return false;
    };
    let label = label.to_lowercase();
    let word = label.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '`'));
    label.chars().count() <= 24
        && ["목표", "goal", "goals", "objective", "objectives"]
            .iter()
            .any(|w| word.ends_with(w))
}

/// Characters that may sit between 메모 and its ending: emoji, variation selectors, joiners,
/// spaces (`메모📝 합니다`, `메모✏️합니다`). Not letters, digits, punctuation or line breaks.
fn ignorable(c: char) -> bool {
    if c == '\n' || c == '\r' {
        return false;
    }
    c.is_whitespace() || !(c.is_alphanumeric() || c.is_ascii_punctuation())
}

/// Verb endings after 메모 that make it an instruction.
const VERB_ENDINGS: &[&str] = &[
    "한다",
    "합니다",
    "하고",
    "하여",
    "하며",
    "하면서",
    "하세요",
    "하십시오",
    "하시오",
    "하기",
    "하자",
    "해야",
    "해서",
    "해 둔다",
    "해 둡니다",
    "해 두세요",
    "해 두고",
    "해 놓는다",
    "해 놓습니다",
    "해 놓으세요",
    "해 놓고",
    "해 주세요",
    "해 줍니다",
    "해 주십시오",
    "해",
    "한 뒤",
    "한 후",
    "한 다음",
    "할 것",
];

/// The end of the verb when the `메모` at `pos` is an instruction, else `None`. `해` alone
/// counts only when no adnominal ending follows (`메모해 놓은 값` describes a noted value).
fn verb_end(text: &str, pos: usize) -> Option<usize> {
    let mut at = pos + "메모".len();
    let rest = &text[at..];
    let skipped: usize = rest
        .chars()
        .take_while(|c| ignorable(*c))
        .map(char::len_utf8)
        .sum();
    at += skipped;
    let rest = &text[at..];
    if ends_terse(text, pos, rest) {
        return Some(at);
    }
    let (ending, len) = VERB_ENDINGS
        .iter()
        .find_map(|e| ending_len(rest, e).map(|n| (*e, n)))?;
    if ending == "해" {
        let after = &rest[len..];
        // `해` ends the word (`메모해 두세요` is matched whole above; `메모 해당 값` is no verb).
        if after.chars().next().is_some_and(is_syllable) {
            return None;
        }
        let after = after.trim_start();
        // `해 둔다` is matched whole above; what is left after `해` is adnominal.
        if ["놓은", "둔", "두었던", "놓았던"]
            .iter()
            .any(|a| after.starts_with(a))
        {
            return None;
        }
    }
    Some(at + len)
}

/// The bytes of `rest` that spell `ending`, spaces between its syllables optional (students'
/// labs write `메모해 놓습니다` and `메모해놓습니다` alike, so the list holds one spelling).
fn ending_len(rest: &str, ending: &str) -> Option<usize> {
    let mut it = rest.char_indices().peekable();
    for want in ending.chars().filter(|c| *c != ' ') {
        while it.next_if(|(_, c)| *c == ' ').is_some() {}
        match it.next() {
            Some((_, c)) if c == want => {}
            _ => return None,
        }
    }
    Some(it.peek().map_or(rest.len(), |(i, _)| *i))
}

fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A terse instruction: "…패스워드를 메모" at the end of a line or sentence, after an object
/// (`을`/`를`) or a target (`에`).
fn ends_terse(text: &str, pos: usize, rest: &str) -> bool {
    let at_end =
        rest.is_empty() || rest.starts_with(['\n', '\r', '.', '!', ')']) || rest.starts_with("<br");
    let before = text[..pos].trim_end_matches([' ', '\t']);
    let spaced = before.len() < pos;
    at_end && spaced && (before.ends_with('을') || before.ends_with('를') || before.ends_with('에'))
}

/// A heading asks to note when 메모 is its verb: `생성된 Repo URL 메모`, `메모📝`, `토큰 메모하기`.
/// Returns the phrase before it.
fn heading_phrase(title: &str) -> Option<&str> {
    let pos = title.rfind("메모")?;
    let after = &title[pos + "메모".len()..];
    let at_end = after.chars().all(ignorable);
    (at_end || verb_end(title, pos).is_some()).then_some(&title[..pos])
}

/// Start of the sentence that holds the verb at `pos`: back to a sentence end, a bullet, a
/// blank line or the previous verb. A line ending in `,` or `<br>` without a full stop runs
/// on into the next line.
fn sentence_start(text: &str, pos: usize, floor: usize) -> usize {
    let mut start = line_start(text, pos);
    for _ in 0..3 {
        if start == 0 || starts_item(&text[start..pos]) {
            break;
        }
        let prev_end = start - 1; // the '\n'
        let prev_start = line_start(text, prev_end);
        let prev = text[prev_start..prev_end].trim_end_matches('\r');
        if !runs_on(prev) {
            break;
        }
        start = prev_start;
    }
    let start = start.max(floor);
    // The last sentence end before the verb.
    let seg = &text[start..pos];
    let mut cut = start;
    for (i, c) in seg.char_indices() {
        if matches!(c, '.' | '!' | '?' | '。') {
            let next = seg[i + c.len_utf8()..].chars().next();
            if next.is_none_or(|n| n.is_whitespace() || n == '<') {
                cut = start + i + c.len_utf8();
            }
        }
    }
    cut
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// Whether a line starts a new item (a bullet, a numbered line, a 📌 note, a quote).
fn starts_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with('📌')
        || t.starts_with('>')
        || t.starts_with('#')
        || t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.contains(") ")
}

/// Whether a line continues into the next one: not blank, not a heading, a table or a fence,
/// and not ending a sentence.
fn runs_on(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') || t.starts_with('|') || t.starts_with("```") {
        return false;
    }
    let t = t
        .trim_end_matches("<br>")
        .trim_end_matches("<br/>")
        .trim_end();
    !(t.ends_with('.') || t.ends_with('!') || t.ends_with('?') || t.ends_with('다'))
}

/// End of the sentence after the verb: the next full stop or the end of the line.
fn sentence_end(text: &str, from: usize) -> usize {
    let line_end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    let seg = &text[from..line_end];
    for (i, c) in seg.char_indices() {
        if matches!(c, '.' | '!' | '?' | '。') {
            return from + i + c.len_utf8();
        }
    }
    from + seg.trim_end().len()
}

/// Markup removed for display: `<br>`, `&nbsp;`, `**`, the 📌 marker, bullets, runs of spaces.
fn clean(s: &str) -> String {
    let s = s
        .replace("<br>", " ")
        .replace("<br/>", " ")
        .replace("<br />", " ")
        .replace("&nbsp;", " ")
        .replace("**", "")
        .replace('📌', " ");
    let s = s.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '*' | '>'));
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A word of a clause: plain, or the text of a code span.
#[derive(Debug, PartialEq)]
enum Item {
    Word(String),
    Code(String),
}

fn items(clause: &str) -> Vec<Item> {
    let clean = clean(clause);
    let mut out = Vec::new();
    let mut rest = clean.as_str();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('`') {
            match r.find('`') {
                Some(e) => {
                    out.push(Item::Code(r[..e].to_string()));
                    rest = &r[e + 1..];
                }
                None => rest = r,
            }
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '`')
            .unwrap_or(rest.len());
        let w = rest[..end].trim_matches(|c: char| {
            !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '<' | '>' | '/' | '&' | ','))
        });
        let w = w.trim_start_matches(['-', '.', ',']);
        if !w.is_empty() && !names::is_particle(w) {
            out.push(Item::Word(w.to_string()));
        }
        rest = rest[end..].trim_start();
    }
    out
}

/// Words that close a clause before the object of 메모: "`Show`를 클릭하고 …", "출력되는 값 중 …".
fn breaks_clause(word: &str) -> bool {
    let w = word.trim_end_matches(',');
    const ENDS: &[&str] = &[
        "하고",
        "하여",
        "해서",
        "하며",
        "하면",
        "하면서",
        "되면",
        "되어",
        "되고",
        "고서",
        "눌러",
        "므로",
        "지만",
        "는데",
    ];
    const WORDS: &[&str] = &["후", "뒤", "다음", "중", "then"];
    // Nouns that end like a connective (`참고`, `화면`).
    const NOUNS: &[&str] = &[
        "참고", "경고", "광고", "최고", "화면", "측면", "표면", "정면", "전면", "이면",
    ];
    // -고 (and), -면 (if), -니 (because): `확인하고`, `끝나면`, `없으니`.
    let connective =
        (w.ends_with('고') || w.ends_with('면') || w.ends_with('니')) && w.chars().count() >= 2;
    WORDS.contains(&w) || ENDS.iter().any(|e| w.ends_with(e)) || (connective && !NOUNS.contains(&w))
}

/// The value names a clause before 메모 gives, and the owner words ("인스턴스의") that narrow
/// them. Backquoted values win; else the target before `에` after an object; else the
/// object. Names are split on 과/와/및/and/`,`/`&`. When the clause names nothing and the one
/// before ends in copying or checking ("토큰을 복사하여 메모한다"), that clause's object is
/// what is noted.
fn phrase_names(clause: &str) -> (Vec<String>, Vec<String>) {
    let all = items(clause);
    let is_break = |i: &Item| matches!(i, Item::Word(w) if breaks_clause(w));
    let Some(b) = all.iter().rposition(is_break) else {
        return clause_names(&all);
    };
    let found = clause_names(&all[b + 1..]);
    if !found.0.is_empty() {
        return found;
    }
    if copies_or_checks(&all[..=b]) {
        let from = all[..b].iter().rposition(is_break).map_or(0, |i| i + 1);
        let before = clause_names(&all[from..b]);
        if !before.0.is_empty() {
            return before;
        }
    }
    // "출력된 Password는 다시 확인할 수 없으니 꼭 메모합니다": the topic is what is noted.
    match all[..b].iter().rposition(is_topic) {
        Some(t) => {
            let from = all[..t].iter().rposition(is_break).map_or(0, |i| i + 1);
            clause_names(&all[from..=t])
        }
        None => found,
    }
}

/// A word marked as the topic (`Password는`, `키는`), not a verb's adnominal form
/// (`출력되는`, `나오는`).
fn is_topic(i: &Item) -> bool {
    let Item::Word(w) = i else { return false };
    let Some(stem) = w.strip_suffix('는').or_else(|| w.strip_suffix('은')) else {
        return false;
    };
    const VERB_STEMS: &[char] = &[
        '되', '하', '오', '있', '없', '이', '보', '가', '나', '받', '주', '쓰', '지', '않',
    ];
    stem.chars()
        .last()
        .is_some_and(|c| !VERB_STEMS.contains(&c))
}

/// Whether a clause ends in a verb of copying or checking (`복사하여`, `확인하고`, `복사 하여`).
fn copies_or_checks(its: &[Item]) -> bool {
    let word = |i: Option<&Item>| match i {
        Some(Item::Word(w)) => w.trim_end_matches(',').to_string(),
        _ => String::new(),
    };
    let last = word(its.last());
    let joined = if matches!(last.as_str(), "하여" | "해서" | "하고" | "한" | "해") {
        word(its.len().checked_sub(2).and_then(|i| its.get(i))) + &last
    } else {
        last
    };
    ["복사", "확인"].iter().any(|v| joined.starts_with(v))
}

/// The names of one clause (see [`phrase_names`]).
fn clause_names(its: &[Item]) -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = its
        .iter()
        .filter_map(|i| match i {
            Item::Code(c) => Some(names::bare(c).to_string()),
            Item::Word(_) => None,
        })
        .filter(|c| !names::tokens(c).is_empty())
        .collect();
    if !codes.is_empty() {
        return (codes, Vec::new());
    }
    let words: Vec<&str> = its
        .iter()
        .filter_map(|i| match i {
            Item::Word(w) => Some(w.as_str()),
            Item::Code(_) => None,
        })
        .collect();
    let words = target_or_object(&words);
    split_names(words)
}

/// "URL을 repo_url에" → the target (`repo_url`); "public ip를" → the whole object.
fn target_or_object<'a>(words: &'a [&'a str]) -> &'a [&'a str] {
    let is_object = |w: &str| w.ends_with('을') || w.ends_with('를');
    match (words.last(), words.iter().rposition(|w| is_object(w))) {
        (Some(last), Some(obj)) if last.ends_with('에') && obj + 1 < words.len() => {
            let target = &words[obj + 1..];
            // "…를 메모장에 메모": a place to write, not a name.
            if names::is_generic(&target.join(" ")) {
                &words[..=obj]
            } else {
                target
            }
        }
        _ => words,
    }
}

fn split_names(words: &[&str]) -> (Vec<String>, Vec<String>) {
    // Adverbs after the object ("…를 각각 메모") name nothing.
    let end = words
        .iter()
        .rposition(|w| !names::is_generic(w))
        .map_or(0, |i| i + 1);
    let words = &words[..end];
    let mut names_out: Vec<String> = Vec::new();
    let mut owners: Vec<String> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut flush = |cur: &mut Vec<String>, names_out: &mut Vec<String>| {
        // A count after the name ("Subnet ID 2개") is no part of it.
        if cur.len() > 1 && cur.last().is_some_and(|w| is_count(w)) {
            cur.pop();
        }
        // "인스턴스의 public ip": the owner narrows the name; the name is what follows.
        // Likewise a qualifier inside ("콘솔에 출력된 Endpoint 주소": the name is what follows).
        let narrows = |w: &String| {
            w.ends_with('의') || w.ends_with("에서") || names::QUALIFIERS.contains(&w.as_str())
        };
        if let Some(k) = cur[..cur.len().saturating_sub(1)].iter().rposition(narrows) {
            owners.extend(cur.drain(..=k).flat_map(|w| names::tokens(&w)));
        }
        // The particle of the last word ends the name ("public ip를"); words before it keep
        // theirs, so that qualifiers (출력되는) are still recognised.
        if let Some(last) = cur.last_mut() {
            *last = names::strip_particle(last).to_string();
        }
        let name = names::display(&cur.join(" "));
        cur.clear();
        if !names::is_generic(&name) && !names_out.contains(&name) {
            names_out.push(name);
        }
    };
    for w in words {
        let w = w.trim_end_matches(',');
        if matches!(w, "및" | "and" | "&" | "," | "or" | "또는") {
            flush(&mut cur, &mut names_out);
            continue;
        }
        let joins = w.chars().count() >= 2 && (w.ends_with('과') || w.ends_with('와'));
        let comma = words_has_comma(w, words);
        cur.push(w.to_string());
        if joins || comma {
            flush(&mut cur, &mut names_out);
        }
    }
    if !cur.is_empty() {
        flush(&mut cur, &mut names_out);
    }
    (names_out, owners)
}

/// `2개`, `3개의`: a count.
fn is_count(w: &str) -> bool {
    let digits = w.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(&w[digits..], "개" | "개를" | "개의" | "개가")
}

/// Whether `w` was written with a comma after it (a list of values: `A, B를 메모`).
fn words_has_comma(w: &str, words: &[&str]) -> bool {
    words
        .iter()
        .any(|x| x.trim_end_matches(',') == w && x.ends_with(','))
}

fn step_at(lab: &Outline, pos: usize) -> Option<usize> {
    lab.steps
        .partition_point(|s| s.span.start <= pos)
        .checked_sub(1)
}

/// Context tokens: the step's title (and its parent's), and owner words.
fn context_of(lab: &Outline, step: Option<usize>, owners: &[String]) -> Vec<String> {
    let mut out: Vec<String> = owners.to_vec();
    let mut cur = step;
    for _ in 0..2 {
        let Some(i) = cur else { break };
        for t in names::tokens(lab.steps[i].title) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        cur = lab.steps[i].parent;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(md: &str) -> Vec<NotePoint> {
        crate::lab::parse_str(md, "x").note_points.into_vec()
    }

    /// Asserts that the note points of `md` name `want`, point by point.
    #[track_caller]
    fn assert_names(md: &str, want: &[&[&str]]) {
        let got: Vec<Vec<String>> = points(md).into_iter().map(|n| n.names).collect();
        assert_eq!(got, want, "{md}");
    }

    /// Asserts that `md` has one note point, naming `names` in step `step`; returns it.
    #[track_caller]
    fn assert_one_point(md: &str, names: &[&str], step: Option<usize>) -> NotePoint {
        let mut p = points(md);
        assert_eq!(p.len(), 1, "{md}: {p:?}");
        let p = p.remove(0);
        assert_eq!(p.names, names, "{md}");
        assert_eq!(p.step, step, "{md}");
        p
    }

    #[test]
    fn verb_forms_with_emoji() {
        for s in [
            "만들어진 인스턴스의 public ip를 메모한다.",
            "public ip를 메모📝합니다",
            "public ip를 메모✏️합니다",
            "public ip를 메모📝 합니다",
            "public ip를 메모하고 다음으로 넘어간다.",
            "public ip를 메모해 둔다.",
            "public ip를 메모하세요.",
            "public ip를 메모해놓습니다.",
            "public ip를 메모해 놓습니다.",
            "public ip를 메모해두고 넘어갑니다.",
            "public ip를 메모 해 둡니다.",
        ] {
            assert_one_point(&format!("## 1. 접속\n\n{s}\n"), &["public ip"], Some(0));
        }
        let p = points("## 1. a\n\n💥💥💥만들어진 인스턴스의 public ip를 메모한다.💥💥💥\n");
        assert_eq!(p[0].names, ["public ip"]);
        assert!(p[0].context.contains(&"instance".to_string()), "{p:?}");
    }

    #[test]
    fn adnominal_and_other_uses_are_not_note_points() {
        for s in [
            "메모한 값을 입력합니다.",
            "메모해 놓은 URL을 입력한다.",
            "메모해놓은 URL을 입력한다.",
            "| ➕ Key | `<<x>>` | ✏메모내용 🧲복사 |",
            "`<<메모해 놓은 gitops URL>>`을 입력합니다.",
            "메모장을 연다.",
            "메모 해당 항목을 본다.",
        ] {
            let md = format!("## 1. a\n\n{s}\n");
            assert!(points(&md).is_empty(), "{s}: {:?}", points(&md));
        }
        let code = "## 1. a\n\n```bash\necho 메모한다\n```\n";
        assert!(points(code).is_empty());
    }

    #[test]
    fn names_split_and_backquotes_win() {
        let md = "## 1. a\n\nIdentifier와 ARN을 메모📝 합니다.\n\n## 2. b\n\n생성된 `IP`와 `Allocation ID`를 메모✏️합니다.\n\n## 3. c\n\n생성된 Repository의 URL을 `gitops_pipeline_3tier URL`에 메모합니다.\n\n## 4. d\n\n출력되는 값 중 server url과 certificate-authority-data를 메모📝합니다.\n";
        assert_names(
            md,
            &[
                &["Identifier", "ARN"],
                &["IP", "Allocation ID"],
                &["gitops_pipeline_3tier URL"],
                &["server url", "certificate-authority-data"],
            ],
        );
    }

    #[test]
    fn generic_phrase_and_heading_refinement() {
        let md = "## ✔ 9-3. 메모📝\n\n출력된 결과를 메모📝합니다.\n\n## ✔ 1-4. 생성된 Repo URL 메모\n\nRepository의 URL을 `pipeline URL`에 메모합니다.\n\n## ✔ 2. 토큰 메모\n\n화면을 닫지 않는다.\n";
        let p = points(md);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].is_generic());
        assert_eq!(p[0].kind, PointKind::Sentence);
        assert_eq!(p[0].text, "출력된 결과를 메모📝합니다.");
        assert_eq!(p[1].names, ["pipeline URL"]);
        assert_eq!(p[2].kind, PointKind::Heading);
        assert_eq!(p[2].names, ["토큰"]);
    }

    #[test]
    fn two_verbs_in_one_sentence_over_two_lines() {
        let md = "## 1. a\n\n📌 **Key ID**는 `<<Key ID>>`에 메모하고,<br>\n&nbsp; **Secret**은 `<<Secret key>>`에 메모하여 저장한다.\n\n## 2. b\n\n- `Show` 를 눌러 키를 확인하고 메모한 뒤 닫는다.\n- **A**는 `<<A id>>`에,<br>\n  **B**는 `<<B id>>`에 메모한다.\n";
        assert_names(
            md,
            &[&["Key ID"], &["Secret key"], &["키"], &["A id", "B id"]],
        );
    }

    #[test]
    fn a_backquoted_value_with_an_index_is_a_name() {
        let md = "## 1. a\n\n생성된 `Value 0`를 메모합니다.\n";
        assert_names(md, &[&["Value 0"]]);
    }

    #[test]
    fn copy_then_note_and_places_to_write() {
        let md = "## 1. a\n\nIAM Role ARN을 복사해서 메모해 둡니다.\n\n## 2. b\n\n콘솔에 출력된 Endpoint 주소를 메모장에 메모합니다.\n\n## 3. c\n\nAccess Key ID와 Secret Access Key를 각각 메모합니다.\n\n## 4. d\n\n다음과 같이 출력되면 ARN을 메모합니다.\n";
        assert_names(
            md,
            &[
                &["IAM Role ARN"],
                &["Endpoint 주소"],
                &["Access Key ID", "Secret Access Key"],
                &["ARN"],
            ],
        );
        let md = "## 1. a\n\n- 출력된 Password는 다시 확인할 수 없으니 꼭 메모📌합니다.\n- 결과 화면에서 NodeGroup 이름을 확인하고 메모해둡니다.\n- 위에서 확인한 VPC ID와 Subnet ID 2개를 메모한다.\n- 접속 후 나오는 화면의 Jenkins 초기 패스워드를 메모\n- 메모한 값을 아래에 입력한다.\n";
        assert_names(
            md,
            &[
                &["Password"],
                &["NodeGroup 이름"],
                &["VPC ID", "Subnet ID"],
                &["Jenkins 초기 패스워드"],
            ],
        );
        // "두 값을 각각 복사하여 메모한다" names no value (the step says which).
        let md = "## 5. a\n\n- `Show` 를 눌러 표시한 뒤, 두 값을 각각 복사하여 메모한다.\n";
        assert!(points(md)[0].is_generic(), "{:?}", points(md));
    }

    /// A lab's stated goal mentions 메모 while describing the lab; it asks for nothing. Lines
    /// before the first step never do, and goal lines inside a step neither.
    #[test]
    fn goal_lines_and_the_preamble_are_not_note_points() {
        let md = "# 3일차 - Lab 9. 클러스터 연결\n\nⓘ 실습목표 : 클러스터를 만들고 접속 URL을 메모하고 다음 실습에서 사용한다.\n\n이 실습에서는 토큰을 메모합니다.\n\n---\n\n## 1. 준비\n\n**목표** : 결과를 메모📝한다.\n\n- 실습 목표: 값들을 메모해 둔다.\n\nGoal: note the URL, 메모합니다.\n\n생성된 `Cluster URL`을 메모합니다.\n";
        assert_one_point(md, &["Cluster URL"], Some(0));
        // A line that only mentions a goal further on is still read.
        let md = "## 1. a\n\n목표 서버의 public ip를 메모한다.\n";
        assert_eq!(points(md).len(), 1, "{:?}", points(md));
    }

    /// A label that holds 목표 without being a goal (`목표 서버 IP: …`) is an instruction
    /// inside a step; the lab's `ⓘ 실습목표 : …` before the first step still asks nothing.
    #[test]
    fn a_label_naming_a_target_value_is_a_note_point() {
        let md = "# 4일차 - Lab 2. 원격 접속\n\nⓘ 실습목표 : 원격 서버의 IP를 메모하고 접속한다.\n\n## 1. 서버 준비\n\n### ✔ 1-1. IP 확인\n\n- 목표 서버 IP: 콘솔에 표시된 `Public IP`를 메모합니다.\n\n- **실습 목표** : 접속을 메모합니다.\n";
        assert_one_point(md, &["Public IP"], Some(1));
        assert!(!is_goal_line("- 목표 서버 IP: 값을 메모합니다."));
        assert!(!is_goal_line("Goal server: note it"));
        assert!(is_goal_line("ⓘ 실습목표 : URL을 메모한다."));
        assert!(is_goal_line("**목표** : 결과를 메모한다."));
        assert!(is_goal_line("Objectives: note the URL"));
    }

    #[test]
    fn memo_entries_are_note_points() {
        let md =
            "# t\n\n> **📌 [메모사항]**\n>\n> ➕ **<< github_username>>** :  \n\n## 1. a\n\n본문\n";
        let p = points(md);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].kind, PointKind::Memo);
        assert_eq!(p[0].step, None);
        assert_eq!(p[0].names, ["github_username"]);
    }
}
