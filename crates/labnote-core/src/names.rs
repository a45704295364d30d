//! Value names: one normalisation of the name of a noted value, used by every module that
//! compares names (placeholders, memo keys, the phrases of note points).
//!
//! The course names one value many ways: `<<메모한 Cluster URL>>`, `<<메모한 Certificate
//! Authority Data >>` (a trailing space inside), `<<나의도메인>>` and `<<YOUR_DOMAIN>>` (two
//! languages), "출력되는 토큰 값" in the sentence that asks for it. Here a name becomes a list of
//! *tokens*: the `<< >>`, backquotes and Korean qualifiers (메모한, 생성된, 자신의, …) removed,
//! split into words, case folded, particles (을/를/의/…) cut off, a few words unified by a small
//! synonym table (토큰 = token, 주소 = url, …), and words that say nothing about which value it is
//! (값, 결과, output, …) dropped. Two names mean the same value when their tokens are equal;
//! a name and a note-point phrase are *similar* by the overlap of their tokens.
//!
//! This module is the one home of what a name means: the memo key form ([`normalize_key`]),
//! the access-key fields ([`access_field`]), the known concepts ([`same_concept`]) and the
//! comparison of two written names ([`same_value`]).
//!
//! Pure, and general on purpose: there is no sentence or placeholder of any lab in here, only
//! words.

/// Qualifiers that precede the real name (`메모한 Cluster URL`). Longest first, so that
/// `발급 받은` is removed whole. A qualifier may follow an adverb of means (`스크립트로 생성한`).
pub(crate) const QUALIFIERS: &[&str] = &[
    "메모해 놓은",
    "메모해놓은",
    "메모해 둔",
    "메모해둔",
    "복사해 둔",
    "복사해둔",
    "발급 받은",
    "발급받은",
    "발급된",
    "발급한",
    "메모한",
    "메모된",
    "저장한",
    "저장된",
    "자신의",
    "본인의",
    "생성된",
    "생성한",
    "만들어진",
    "만든",
    "출력된",
    "출력되는",
    "출력한",
    "복사한",
    "확인한",
    "표시되는",
    "표시된",
    "나타나는",
    "나타난",
    "나오는",
    "나온",
    "보이는",
    "요청한",
    "할당된",
    "할당받은",
    "할당 받은",
    "내려받은",
    "다운로드한",
    "다운로드된",
    "나의",
    "내",
];

/// Words unified with another (lower case → canonical token).
const SYNONYMS: &[(&str, &str)] = &[
    ("토큰", "token"),
    ("클러스터", "cluster"),
    ("인증서", "certificate"),
    ("주소", "url"),
    ("address", "url"),
    ("도메인", "domain"),
    ("아이피", "ip"),
    ("키", "key"),
    ("비밀번호", "password"),
    ("패스워드", "password"),
    ("암호", "password"),
    ("pw", "password"),
    ("아이디", "id"),
    ("이름", "name"),
    ("계정", "account"),
    ("어카운트", "account"),
    ("서버", "server"),
    ("서비스", "service"),
    ("레포", "repository"),
    ("리포", "repository"),
    ("레포지토리", "repository"),
    ("리포지토리", "repository"),
    ("저장소", "repository"),
    ("repo", "repository"),
    ("사용자", "user"),
    ("유저", "user"),
    ("엔드포인트", "endpoint"),
    ("인스턴스", "instance"),
    ("버킷", "bucket"),
    ("역할", "role"),
    ("리전", "region"),
    ("프로젝트", "project"),
    ("네임스페이스", "namespace"),
    ("시크릿", "secret"),
    ("비밀", "secret"),
    ("공인", "public"),
    ("퍼블릭", "public"),
    ("사설", "private"),
    ("프라이빗", "private"),
    ("포트", "port"),
    ("노드", "node"),
    ("식별자", "identifier"),
    ("할당", "allocation"),
    ("데이터", "data"),
    ("워크스페이스", "workspace"),
    ("호스트명", "hostname"),
    ("호스트네임", "hostname"),
    ("호스트", "host"),
    ("파일", "file"),
    ("게이트웨이", "gateway"),
    ("인그레스", "ingress"),
    ("파이프라인", "pipeline"),
    ("브랜치", "branch"),
    ("태그", "tag"),
    ("이미지", "image"),
    ("레코드", "record"),
    ("리스너", "listener"),
    ("대상", "target"),
    ("그룹", "group"),
];

/// Words that do not tell which value is meant ("출력된 결과", "토큰 값").
const GENERIC: &[&str] = &[
    "값",
    "결과",
    "결과값",
    "출력",
    "출력값",
    "내용",
    "정보",
    "해당",
    "위",
    "아래",
    "다음",
    "이",
    "그",
    "저",
    "각",
    "각각",
    "한",
    "두",
    "세",
    "네",
    "여러",
    "모든",
    "몇",
    "꼭",
    "잘",
    "다시",
    "미리",
    "함께",
    "같이",
    "직접",
    "바로",
    "먼저",
    "메모장",
    "노트",
    "메모사항",
    "별도",
    "따로",
    "텍스트",
    "어딘가",
    "notepad",
    "모두",
    "전체",
    "그대로",
    "새로",
    "반드시",
    "복사",
    "생성",
    "발급",
    "메모",
    "확인",
    "자신",
    "본인",
    "value",
    "values",
    "result",
    "results",
    "output",
    "the",
    "a",
    "an",
    "of",
    "for",
    "your",
    "my",
    "own",
    "this",
    "that",
];

/// Particles cut from the end of a word. Longest first.
const PARTICLES: &[&str] = &[
    "으로", "에서", "에게", "을", "를", "의", "에", "과", "와", "은", "는", "이", "가", "로", "도",
];

/// Particles that only follow a noun, so they are cut even after a one-syllable word (`값을`).
/// (`과`/`와` are not: `결과` is a word.)
const SURE_PARTICLES: &[&str] = &["을", "를", "의", "에", "으로", "에서", "에게"];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The name without `<< >>`, backquotes, emphasis and surrounding spaces:
/// `` `<<메모한 Service Account token >>` `` → `메모한 Service Account token`.
pub fn bare(name: &str) -> &str {
    let mut s = name.trim();
    loop {
        let before = s;
        s = s.trim_matches('`').trim();
        s = s.strip_prefix("**").unwrap_or(s);
        s = s.strip_suffix("**").unwrap_or(s);
        s = s.strip_prefix("<<").unwrap_or(s);
        s = s.strip_suffix(">>").unwrap_or(s);
        s = s.trim();
        if s == before {
            return s;
        }
    }
}

/// Remove leading Korean qualifiers (repeatedly): `메모해 놓은 생성된 IP` → `IP`,
/// `스크립트로 생성한 roles` → `roles`. `내` only as a whole word (`내 도메인`, not `내용`).
pub fn strip_qualifiers(name: &str) -> String {
    let mut s = name.trim();
    loop {
        let before = s;
        s = strip_one_qualifier(s).unwrap_or(s).trim_start();
        if s == before {
            // An adverb of means before a qualifier: `스크립트로 생성한 X`.
            if let Some((word, rest)) = s.split_once(char::is_whitespace) {
                if word.ends_with('로') && word.chars().count() >= 2 {
                    if let Some(r) = strip_one_qualifier(rest.trim_start()) {
                        s = r.trim_start();
                        continue;
                    }
                }
            }
            return s.to_string();
        }
    }
}

fn strip_one_qualifier(s: &str) -> Option<&str> {
    QUALIFIERS.iter().find_map(|q| {
        let rest = s.strip_prefix(q)?;
        let whole_word = rest.is_empty() || rest.starts_with(char::is_whitespace);
        (*q != "내" || (whole_word && !rest.is_empty())).then_some(rest)
    })
}

/// The name as a memo key is written: bare, qualifiers removed, inner spaces kept
/// (`<<메모한 Cluster URL>>` → `Cluster URL`). Falls back to the bare name when only
/// qualifiers were written.
pub fn display(name: &str) -> String {
    let b = bare(name);
    let s = strip_qualifiers(b);
    if s.trim().is_empty() {
        b.to_string()
    } else {
        s
    }
}

/// The name as a new memo key: bare, and without the qualifiers that only say it was noted
/// (`<<메모한 Cluster URL>>` → `Cluster URL`); other qualifiers are part of how the course
/// names it (`생성된 IP` stays).
pub fn key_form(name: &str) -> String {
    let mut s = bare(name);
    while let Some(rest) = QUALIFIERS
        .iter()
        .filter(|q| q.starts_with("메모"))
        .find_map(|q| s.strip_prefix(q))
    {
        if rest.trim().is_empty() {
            break;
        }
        s = rest.trim_start();
    }
    s.to_string()
}

/// Whether a word is a particle alone (`를` glued after a code span: `` `IP`를 ``).
pub(crate) fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&word)
}

/// A word without its trailing particle: `인증서의` → `인증서`, `URL을` → `URL`, `값을` → `값`;
/// `아이피` and `키가` stay (a particle after one syllable is cut only when it always is one).
pub(crate) fn strip_particle(word: &str) -> &str {
    for p in PARTICLES {
        let Some(stem) = word.strip_suffix(p) else {
            continue;
        };
        let Some(last) = stem.chars().last() else {
            continue;
        };
        let hangul_len = stem.chars().filter(|c| is_hangul(*c)).count();
        let ok = !is_hangul(last) || hangul_len >= 2 || SURE_PARTICLES.contains(p);
        if ok {
            return stem;
        }
    }
    word
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '_' | '-'
                | '.'
                | '/'
                | '&'
                | ':'
                | '('
                | ')'
                | '['
                | ']'
                | ','
                | '·'
                | '|'
                | '+'
                | '*'
                | '`'
                | '"'
                | '\''
                | '<'
                | '>'
                | '='
        )
}

/// The canonical token of one word (lower case, particle cut, synonym applied), or `None` for
/// a word that says nothing about the value.
fn canonical(word: &str) -> Option<String> {
    let w = word.to_lowercase();
    let w = if GENERIC.contains(&w.as_str()) {
        return None;
    } else {
        strip_particle(&w)
    };
    if w.is_empty() || GENERIC.contains(&w) || QUALIFIERS.contains(&w) {
        return None;
    }
    let w = SYNONYMS
        .iter()
        .find(|(from, _)| *from == w)
        .map_or(w, |(_, to)| *to);
    Some(w.to_string())
}

/// The tokens of a name, in order, duplicates kept once.
pub fn tokens(name: &str) -> Vec<String> {
    let s = strip_qualifiers(bare(name));
    let mut out: Vec<String> = Vec::new();
    for word in s.split(is_separator).filter(|w| !w.is_empty()) {
        // Keep only letters and digits (an emoji glued to a word is not part of it).
        let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        if let Some(t) = canonical(&word) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// Words that name the thing a value belongs to (its owner): a repository's URL is not a
/// cluster's URL. Canonical tokens (after [`SYNONYMS`]).
const OBJECTS: &[&str] = &[
    "repository",
    "cluster",
    "instance",
    "server",
    "bucket",
    "namespace",
    "pipeline",
    "workspace",
    "vpc",
    "subnet",
    "certificate",
    "database",
];

/// The owner words among `tokens` ([`OBJECTS`]): `git repository url` → `repository`.
pub fn objects(tokens: &[String]) -> Vec<&str> {
    tokens
        .iter()
        .map(String::as_str)
        .filter(|t| OBJECTS.contains(t))
        .collect()
}

/// Whether a value whose names say `value` (tokens) is about another thing than a place
/// that says `said` (the tokens of a note point's name, its owner words and its step's
/// title): both name an owner and none is shared ("생성된 Repository의 URL" is no
/// `Cluster URL`; "server url" under a heading about the cluster may be).
pub fn other_object(value: &[String], said: &[String]) -> bool {
    let mine = objects(value);
    let theirs = objects(said);
    !mine.is_empty() && !theirs.is_empty() && !mine.iter().any(|o| theirs.contains(o))
}

/// Whether a token is an index (`Allocation ID 2`): it tells two values apart but says
/// nothing about what they are.
pub fn is_index(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| c.is_ascii_digit())
}

/// One form for comparing names: two names mean the same value when their forms are
/// equal. `<<나의도메인>>` and `<<YOUR_DOMAIN>>` → `domain`; `<<메모한 Service Account token >>`
/// and `service account 토큰` → `service account token`. A name of generic words only keeps
/// its case-folded bare text, so `<<값>>` does not equal every other generic name.
pub fn normalize(name: &str) -> String {
    let t = tokens(name);
    if t.is_empty() {
        return normalize_key(bare(name));
    }
    t.join(" ")
}

/// Whether a phrase names no particular value ("출력된 결과", "출력되는 값").
pub fn is_generic(phrase: &str) -> bool {
    tokens(phrase).iter().all(|t| is_index(t))
}

/// Similarity of two token lists, 0.0 to 1.0: the Dice coefficient of their token sets,
/// index tokens left out (`Allocation ID 1` is as similar to "Allocation ID" as `Allocation
/// ID 2`), and 0 when both have indexes and none is shared.
pub fn similarity(a: &[String], b: &[String]) -> f64 {
    // Two different indexes are two different values (`Endpoint 7`, `Endpoint 8`).
    let ia = a.iter().filter(|t| is_index(t));
    if ia.clone().next().is_some()
        && b.iter().any(|t| is_index(t))
        && !ia.into_iter().any(|t| b.contains(t))
    {
        return 0.0;
    }
    let a: Vec<&String> = a.iter().filter(|t| !is_index(t)).collect();
    let b: Vec<&String> = b.iter().filter(|t| !is_index(t)).collect();
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|t| b.contains(t)).count();
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// [`similarity`] of two names.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    similarity(&tokens(a), &tokens(b))
}

/// [`similarity`] with a near spelling of a word counted as the word ("Identifer" for
/// "Identifier", "Clustr" for "Cluster"): for listing the values close to a name typed by
/// hand, never for deciding which value a name means.
pub fn loose_similarity(a: &[String], b: &[String]) -> f64 {
    let a: Vec<String> = a
        .iter()
        .map(|t| {
            b.iter()
                .find(|u| !is_index(t) && !is_index(u) && near_spelling(t, u))
                .unwrap_or(t)
                .clone()
        })
        .collect();
    similarity(&a, b)
}

/// Whether two words differ by at most one edit (two for words of eight letters or more),
/// words of four letters or more only.
fn near_spelling(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shorter = a.len().min(b.len());
    let allowed = match shorter {
        0..=3 => return a == b,
        4..=7 => 1,
        _ => 2,
    };
    if a.len().abs_diff(b.len()) > allowed {
        return false;
    }
    // Levenshtein distance, one row at a time.
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()] <= allowed
}

/// Normalise a key for matching: case, the spaces inside `<< >>`, runs of spaces and
/// surrounding emphasis are ignored.
pub fn normalize_key(key: &str) -> String {
    let k = bare_key(key);
    let mut out = String::with_capacity(k.len());
    for w in k.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.to_lowercase()
}

/// Whether `key`'s [`normalize_key`] form is `want` (a form already normalised), without
/// making that form when `key` is ASCII: what finding a memo entry by key compares.
pub fn key_is(want: &str, key: &str) -> bool {
    let k = bare_key(key);
    if !k.is_ascii() {
        return normalize_key(key) == want;
    }
    let mut rest = want.bytes();
    for (i, w) in k.split_whitespace().enumerate() {
        if i > 0 && rest.next() != Some(b' ') {
            return false;
        }
        if !w
            .bytes()
            .all(|b| rest.next() == Some(b.to_ascii_lowercase()))
        {
            return false;
        }
    }
    rest.next().is_none()
}

/// A key as written inside a new entry's `<< >>`: surrounding spaces and `<< >>` removed, so
/// `<< 생성된 IP>>` (accepted wherever a key is matched) is written as `생성된 IP`.
pub fn bare_key(key: &str) -> &str {
    let k = key.trim();
    let k = k.strip_prefix("<<").unwrap_or(k);
    let k = k.strip_suffix(">>").unwrap_or(k);
    k.trim()
}

/// Which access-key field a memo key names, recognised loosely (case, spacing, `_`, an
/// `AWS` prefix): `AWS Access Key ID`, `access_key_id`, `Access Key` → [`AccessField::Id`];
/// `AWS Secret Access key`, `secret key` → [`AccessField::Secret`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessField {
    Id,
    Secret,
}

pub fn access_field(key: &str) -> Option<AccessField> {
    let k: String = normalize_key(key)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let k = k.strip_prefix("aws").unwrap_or(&k);
    match k {
        "accesskeyid" | "accesskey" | "accesskeyidentifier" => Some(AccessField::Id),
        "secretaccesskey" | "secretkey" | "secretaccesskeyid" => Some(AccessField::Secret),
        _ => None,
    }
}

/// A concept that several names mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    AccessKeyId,
    SecretAccessKey,
    GithubUsername,
    GithubToken,
}

/// Letters and digits only, lower case: `Access Token for Git` → `accesstokenforgit`.
pub fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known value a name means, if any (the name as written: strip qualifiers first).
pub fn concept_of(name: &str) -> Option<Concept> {
    match access_field(name) {
        Some(AccessField::Id) => return Some(Concept::AccessKeyId),
        Some(AccessField::Secret) => return Some(Concept::SecretAccessKey),
        None => {}
    }
    match compact(name).as_str() {
        "gitname"
        | "githubname"
        | "gitusername"
        | "githubusername"
        | "gitusername아이디"
        | "gitid"
        | "githubid"
        | "gituser"
        | "githubuser"
        | "gitaccount"
        | "githubaccount" => Some(Concept::GithubUsername),
        "gittoken"
        | "githubtoken"
        | "accesstokenforgit"
        | "gitaccesstoken"
        | "githubaccesstoken"
        | "githubpersonalaccesstoken"
        | "personalaccesstoken"
        | "gitpat"
        | "githubpat" => Some(Concept::GithubToken),
        _ => None,
    }
}

/// Whether two names mean the same known value (the access key id, its secret, the GitHub
/// username or token), qualifiers ignored.
pub fn same_concept(a: &str, b: &str) -> bool {
    let c = concept_of(&strip_qualifiers(a));
    c.is_some() && c == concept_of(&strip_qualifiers(b))
}

/// Whether two written names mean the same value.
pub fn same_value(a: &str, b: &str) -> bool {
    NameForms::of(a).same(&NameForms::of(b))
}

/// The forms a name is compared by, computed once: its memo-key form, the same without
/// qualifiers, its [`normalize`] form, and whether it names a known concept.
pub struct NameForms {
    /// The name as written.
    pub raw: String,
    /// Its memo-key form ([`normalize_key`]).
    pub key: String,
    /// The same without qualifiers ([`display`], then [`normalize_key`]).
    pub display: String,
    /// Its [`normalize`] form.
    pub norm: String,
    /// Whether it names a known [`Concept`].
    pub concept: bool,
}

impl NameForms {
    pub fn of(name: &str) -> NameForms {
        NameForms {
            raw: name.to_string(),
            key: normalize_key(name),
            display: normalize_key(&display(name)),
            norm: normalize(name),
            concept: same_concept(name, name),
        }
    }

    pub fn same(&self, o: &NameForms) -> bool {
        self.key == o.key
            || self.display == o.display
            || self.norm == o.norm
            || (self.concept && o.concept && same_concept(&self.raw, &o.raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::check_table;

    #[test]
    fn key_is_compares_as_normalize_key() {
        let keys = [
            "AWS Access Key ID",
            " <<aws  access key id>> ",
            "aws access key id",
            "AWS\u{b}Access Key ID",
            "AWS Access Key",
            "",
            "<<>>",
            "Cluster URL",
            "클러스터 URL",
            "ΣΊΣΥΦΟΣ",
            "a\u{3000}b",
        ];
        for a in keys {
            for b in keys {
                let want = normalize_key(a);
                assert_eq!(key_is(&want, b), want == normalize_key(b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn bare_and_display() {
        assert_eq!(
            bare("`<<메모한 Service Account token >>`"),
            "메모한 Service Account token"
        );
        let shown = [
            ("<<메모한 Cluster URL>>", "Cluster URL"),
            ("메모해 놓은 생성된 IP", "IP"),
            ("스크립트로 생성한 aws_auth_roles", "aws_auth_roles"),
            ("나의도메인", "도메인"),
            ("내용", "내용"),
            ("내 도메인", "도메인"),
            ("메모한", "메모한"),
            // Where a value appears or how it came is no part of its name.
            ("표시되는 Run ID", "Run ID"),
            ("할당된 EIP 주소", "EIP 주소"),
            ("요청한 인증서 ARN", "인증서 ARN"),
            // An adverb not followed by a qualifier stays.
            ("콘솔로 접속", "콘솔로 접속"),
        ];
        check_table(display, shown);
        let keys = [
            ("<<메모한 Cluster URL>>", "Cluster URL"),
            (" 생성된 IP", "생성된 IP"),
            ("메모한", "메모한"),
        ];
        check_table(key_form, keys);
    }

    #[test]
    fn qualifiers_and_concepts() {
        let stripped = [
            ("발급받은 Access Key", "Access Key"),
            ("발급 받은 git token", "git token"),
            ("자신의 git name", "git name"),
            ("메모해 놓은 생성된 IP", "IP"),
            ("내용", "내용"),
        ];
        check_table(strip_qualifiers, stripped);
        let concepts = [
            ("Access Key", Some(Concept::AccessKeyId)),
            ("AWS Secret Access key", Some(Concept::SecretAccessKey)),
            ("git name", Some(Concept::GithubUsername)),
            ("github_username", Some(Concept::GithubUsername)),
            ("Access Token for Git", Some(Concept::GithubToken)),
            ("github_token", Some(Concept::GithubToken)),
            ("gitopsconsole_ID", None),
        ];
        check_table(concept_of, concepts);
        assert!(same_concept("발급받은 Access Key", "AWS Access Key ID"));
        assert!(!same_concept("git name", "git token"));
    }

    #[test]
    fn particles() {
        let words = [
            ("인증서의", "인증서"),
            ("URL을", "URL"),
            ("값을", "값"),
            ("아이피", "아이피"),
            ("키가", "키가"),
            ("ip", "ip"),
        ];
        check_table(strip_particle, words);
    }

    #[test]
    fn same_value_in_two_languages() {
        assert_eq!(normalize("<<나의도메인>>"), normalize("<<YOUR_DOMAIN>>"));
        assert_eq!(
            normalize("<<메모한 Service Account token >>"),
            normalize("service account 토큰")
        );
        assert_eq!(
            normalize("메모한 Certificate Authority Data "),
            normalize("certificate-authority-data")
        );
        assert_eq!(normalize("메모한 인증서의 ARN"), "certificate arn");
        assert_ne!(normalize("Allocation ID 1"), normalize("Allocation ID 2"));
        assert_eq!(normalize("인증서 데이터"), normalize("Certificate Data"));
        assert_eq!(normalize("워크스페이스 주소"), normalize("Workspace URL"));
        assert_eq!(normalize("대상 그룹 ARN"), normalize("Target Group ARN"));
        assert_eq!(normalize("<<메모한 키 파일 이름 >>"), "key file name");
        assert_eq!(normalize("<<값>>"), "값");
    }

    #[test]
    fn generic_phrases() {
        for generic in ["출력된 결과", "출력되는 값", "두 값"] {
            assert!(is_generic(generic), "{generic}");
        }
        for named in ["출력되는 토큰 값", "public ip"] {
            assert!(!is_generic(named), "{named}");
        }
    }

    #[test]
    fn a_value_of_another_owner_is_another_value() {
        let t = |s: &str| tokens(s);
        let cluster = t("메모한 Cluster URL");
        // "생성된 Repository의 URL": the name `URL`, the owner `Repository`.
        let repo_point = [t("URL"), t("Repository")].concat();
        assert!(other_object(&cluster, &repo_point));
        assert!(!other_object(&t("자신의 git repository 주소"), &repo_point));
        // "server url" under "클러스터 Url & certificate-authority-data 확인".
        let server_point = [t("server url"), t("클러스터 Url 확인")].concat();
        assert!(!other_object(&cluster, &server_point));
        // A name or a place without an owner word says nothing against it.
        assert!(!other_object(&t("생성된 IP"), &repo_point));
        assert!(!other_object(&cluster, &t("URL")));
        assert_eq!(objects(&t("git 저장소 주소")), ["repository"]);
    }

    #[test]
    fn similarity_is_token_overlap() {
        let s = name_similarity("메모한 Cluster URL", "server url");
        assert!((s - 0.5).abs() < 1e-9, "{s}");
        assert_eq!(name_similarity("Allocation ID 1", "Allocation ID"), 1.0);
        assert_eq!(name_similarity("Endpoint 7", "Endpoint 8"), 0.0);
        assert_eq!(name_similarity("Endpoint 7", "endpoint 7"), 1.0);
        assert_eq!(name_similarity("gitopsconsole_ID", "값"), 0.0);
        assert!(name_similarity("gitopsconsole_ID", "AWS Access Key ID") < 0.5);
        assert_eq!(name_similarity("DNS name", "github_username"), 0.0);
    }

    #[test]
    fn a_near_spelling_is_close_but_no_other_word() {
        let t = |s: &str| tokens(s);
        assert!(loose_similarity(&t("Identifer"), &t("Identifier")) > 0.99);
        assert!(loose_similarity(&t("Clustr URL"), &t("Cluster URL")) > 0.99);
        assert_eq!(similarity(&t("Identifer"), &t("Identifier")), 0.0);
        assert_eq!(loose_similarity(&t("Token"), &t("Region")), 0.0);
        // Short words must be spelt right: "arn" is not "ami".
        assert_eq!(loose_similarity(&t("arn"), &t("ami")), 0.0);
    }
}
