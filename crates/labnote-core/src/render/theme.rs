//! How the terminal renderer marks things up: the one place that knows escape sequences.
//!
//! The renderer ([`super`]) decides *what* a piece is (a heading, inline code, a masked
//! secret, a link, a code block's class); a [`Theme`] decides how it looks. [`Plain`] adds
//! nothing but the characters a reader needs without colour (backquotes around inline code,
//! a link's URL in parentheses); [`Ansi`] adds SGR colours (examples dim) and, where the
//! terminal supports them, OSC 8 hyperlinks. Which one is used follows `cli::style` (colour and hyperlink conventions).
//!
//! Every method gets text that is already free of control characters
//! ([`super::clean`]), so a lab can never smuggle an escape sequence through a theme.

use unicode_width::UnicodeWidthChar;

use crate::blocks::Class;

/// What a piece of text is, for its look: the one list of the looks a [`Theme`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    /// A lab's text as it is.
    Text,
    /// A heading's text.
    Heading,
    /// `**strong**` text.
    Strong,
    /// `_emphasis_`.
    Emphasis,
    /// `` `inline code` `` outside a table.
    Code,
    /// Decoration labnote draws: code block borders, the quote bar, rules, hints.
    Border,
    /// A table's header row.
    TableHead,
    /// The words of a code block's label that say what `run` does with it (`runs`,
    /// `example output (not run)`…), for a block of this class ([`None`]: outside every step).
    Class(Option<Class>),
    /// A line of an example block (output, a transcript): shown, never run.
    Example,
    /// A placeholder filled with its value.
    Filled,
    /// A secret shown masked.
    Masked,
    /// A placeholder without a value, shown as written.
    Missing,
}

impl TextRole {
    /// The SGR colour of the look (`None`: none): bold headings, strong text and table
    /// heads, italic emphasis, cyan code; green for a filled value and a block that runs,
    /// yellow for a missing value and a block that is asked about; dim for labnote's
    /// decoration, examples, masked secrets and the other blocks.
    fn sgr(self) -> Option<&'static str> {
        Some(match self {
            TextRole::Text => return None,
            TextRole::Heading | TextRole::Strong | TextRole::TableHead => "1",
            TextRole::Emphasis => "3",
            TextRole::Code => "36",
            TextRole::Filled | TextRole::Class(Some(Class::Run)) => "32",
            TextRole::Missing | TextRole::Class(Some(Class::Alternative)) => "33",
            TextRole::Border | TextRole::Example | TextRole::Masked | TextRole::Class(_) => "2",
        })
    }
}

/// How text looks on a terminal.
pub trait Theme {
    /// `s` in the look `look`.
    fn paint(&self, look: TextRole, s: &str) -> String;
    /// A link: its text and where it goes (a URL or a path, already filled). `clickable`
    /// is whether `url` is one a terminal can open (`https:`, `mailto:`, …).
    fn link(&self, text: &str, url: &str, clickable: bool) -> String;
}

/// No escape sequences at all: for pipes, files, `NO_COLOR`, `--json`.
pub struct Plain;

impl Theme for Plain {
    /// Text as it is, but inline code between backquotes (where it starts and ends).
    fn paint(&self, look: TextRole, s: &str) -> String {
        match look {
            TextRole::Code => format!("`{s}`"),
            _ => s.to_string(),
        }
    }

    fn link(&self, text: &str, url: &str, _clickable: bool) -> String {
        text_link(text, url)
    }
}

/// SGR colours (when `color`) and OSC 8 hyperlinks (when `hyperlinks`).
pub struct Ansi {
    pub color: bool,
    pub hyperlinks: bool,
}

impl Ansi {
    fn sgr(&self, code: &str, s: &str) -> String {
        if self.color && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

impl Theme for Ansi {
    /// The look's colour (`TextRole::sgr`); without colour, the plain look.
    fn paint(&self, look: TextRole, s: &str) -> String {
        match look.sgr() {
            Some(code) if self.color => self.sgr(code, s),
            _ => Plain.paint(look, s),
        }
    }

    fn link(&self, text: &str, url: &str, clickable: bool) -> String {
        if !(self.hyperlinks && clickable) {
            let t = text.trim();
            if t.is_empty() || t == url {
                return self.sgr("4", url);
            }
            return format!("{t} {}", self.sgr("4", &format!("({url})")));
        }
        // OSC 8: `ESC ] 8 ; ; URI ST text ESC ] 8 ; ; ST`, the URI in printable ASCII. The
        // URL is shown too (`text (url)`): a link says where it goes, whatever its text says.
        let osc = |shown: &str| format!("\x1b]8;;{}\x1b\\{shown}\x1b]8;;\x1b\\", uri_ascii(url));
        let t = text.trim();
        if t.is_empty() || t == url {
            return osc(&self.sgr("4", url));
        }
        format!("{} {}", osc(t), osc(&self.sgr("4", &format!("({url})"))))
    }
}

/// The theme for a terminal that has colour, hyperlinks, both or neither.
pub fn pick(color: bool, hyperlinks: bool) -> Box<dyn Theme> {
    if color || hyperlinks {
        Box::new(Ansi { color, hyperlinks })
    } else {
        Box::new(Plain)
    }
}

/// `text (url)`; just the URL when the text is the URL (an autolink) or empty.
pub(crate) fn text_link(text: &str, url: &str) -> String {
    let t = text.trim();
    if t.is_empty() || t == url {
        url.to_string()
    } else {
        format!("{t} ({url})")
    }
}

/// `url` with every byte outside printable ASCII percent-encoded (OSC 8 wants a URI).
fn uri_ascii(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if (0x21..0x7f).contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Display width of a string (Korean and emoji count 2), ignoring the escape sequences a
/// theme adds (SGR `ESC [ … m`, OSC `ESC ] … ST`).
pub fn width(s: &str) -> usize {
    let mut w = 0;
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        w += text_width(&rest[..i]);
        rest = skip_escape(&rest[i..]);
    }
    w + text_width(rest)
}

/// Columns of text without escapes, counted so that no terminal draws the text wider:
/// Korean and emoji two columns each (unicode-width); a narrow symbol that a variation
/// selector asks to draw as an emoji (`✔️`, `✍️`) two, as most terminals draw it (tmux 3.3
/// draws one); an emoji with a skin tone (`👆🏻`) four, as tmux 3.3 draws it (the emoji and the
/// tone side by side; a terminal that joins them draws two). Counting wide is safe: a line
/// that comes out two columns short costs nothing, one that comes out two columns long
/// spills to column 0 and cuts what is in it.
pub fn text_width(s: &str) -> usize {
    let mut w = 0;
    let mut prev = 0;
    for c in s.chars() {
        let cw = match c {
            '\u{FE0F}' if prev == 1 => 1,
            _ => UnicodeWidthChar::width(c).unwrap_or(0),
        };
        w += cw;
        // A selector ends the emoji: what follows counts on its own.
        prev = if c == '\u{FE0F}' { 0 } else { cw };
    }
    w
}

/// `s` (starting at an ESC) after its escape sequence.
pub(crate) fn skip_escape(s: &str) -> &str {
    let body = &s[1..];
    if let Some(osc) = body.strip_prefix(']') {
        // Ends at ST (`ESC \`) or BEL.
        let end = osc
            .find("\x1b\\")
            .map(|j| j + 2)
            .or_else(|| osc.find('\x07').map(|j| j + 1));
        return end.map_or("", |j| &osc[j..]);
    }
    if let Some(csi) = body.strip_prefix('[') {
        let end = csi.find(|c: char| ('\x40'..='\x7e').contains(&c));
        return end.map_or("", |j| &csi[j + 1..]);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_has_no_escapes_and_shows_the_url() {
        let p = Plain;
        assert_eq!(p.paint(TextRole::Code, "ls"), "`ls`");
        assert_eq!(
            p.link(
                "EC2 서비스로 이동",
                "https://console.aws.amazon.com/ec2",
                true
            ),
            "EC2 서비스로 이동 (https://console.aws.amazon.com/ec2)"
        );
        assert_eq!(p.link("https://x.io", "https://x.io", true), "https://x.io");
        assert_eq!(p.paint(TextRole::Heading, "제목"), "제목");
    }

    #[test]
    fn ansi_hyperlinks_are_osc8_with_an_ascii_uri() {
        let a = Ansi {
            color: false,
            hyperlinks: true,
        };
        let l = a.link("문서", "https://x.io/한", true);
        assert_eq!(
            l,
            "\x1b]8;;https://x.io/%ED%95%9C\x1b\\문서\x1b]8;;\x1b\\ \
             \x1b]8;;https://x.io/%ED%95%9C\x1b\\(https://x.io/한)\x1b]8;;\x1b\\"
        );
        assert_eq!(width(&l), width("문서 (https://x.io/한)"));
        // An autolink shows its URL once.
        let l = a.link("https://x.io", "https://x.io", true);
        assert_eq!(l, "\x1b]8;;https://x.io\x1b\\https://x.io\x1b]8;;\x1b\\");
        // A path is not clickable: shown as text.
        assert_eq!(a.link("다음", "lab2.md", false), "다음 (lab2.md)");
        let c = Ansi {
            color: true,
            hyperlinks: false,
        };
        let l = c.link("문서", "https://x.io", true);
        assert!(l.starts_with("문서 \x1b[4m(https://x.io)"), "{l:?}");
        assert_eq!(width(&l), width("문서 (https://x.io)"));
    }

    #[test]
    fn width_skips_sgr_and_osc() {
        assert_eq!(width("한글ab"), 6);
        assert_eq!(width("\x1b[1m굵게\x1b[0m"), 4);
        assert_eq!(width("\x1b]8;;http://a\x07ab\x1b]8;;\x07"), 2);
        assert_eq!(width("\x1b["), 0);
    }
}
