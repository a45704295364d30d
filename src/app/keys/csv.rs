//! The console's access-key `.csv`: `Access key ID,Secret access key` (the current console,
//! `USER_accessKeys.csv`) or `User name,Password,Access key ID,Secret access key,Console
//! login link` (the older `credentials.csv`); UTF-8, a BOM or none, CRLF or LF, fields
//! quoted or not, exactly one key row. Pure: bytes in, the pair (or the line and the fix)
//! out. The secret never appears in an error.

use secrecy::SecretString;

use crate::t;

/// Files larger than this are not a console key file.
pub const MAX_CSV_BYTES: u64 = 64 * 1024;

/// The pair a console `.csv` holds, and the user name the older format gives.
pub struct CsvKey {
    pub key_id: String,
    pub secret: SecretString,
    pub user: Option<String>,
}

impl std::fmt::Debug for CsvKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvKey")
            .field("key_id", &self.key_id)
            .field("secret", &"[REDACTED]")
            .field("user", &self.user)
            .finish()
    }
}

/// Why a file is not a console key file: the line (1-based) and what to do, in the
/// student's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    pub line: usize,
    pub reason: String,
}

fn problem(line: usize, reason: String) -> CsvProblem {
    CsvProblem { line, reason }
}

/// The records of `text` with the line each starts on; quoted fields may hold commas,
/// doubled quotes and line ends. Records that are wholly empty are left out.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvProblem> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut start = 1;
    let mut rec: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    let mut push_record = |rec: &mut Vec<String>, start: usize| {
        let r = std::mem::take(rec);
        if !(r.len() == 1 && r[0].trim().is_empty()) {
            out.push((start, r));
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            '"' => return Err(problem(line, t!("csv-stray-quote"))),
            ',' => {
                rec.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                rec.push(std::mem::take(&mut field));
                was_quoted = false;
                push_record(&mut rec, start);
                line += 1;
                start = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(problem(start, t!("csv-open-quote")));
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        push_record(&mut rec, start);
    }
    Ok(out)
}

fn column(header: &[String], name: &str) -> Option<usize> {
    header
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// A console access key id: `AKIA` and 16 more capitals or digits (IAM's own rule for the
/// rest, [`crate::iam::is_access_key_id`]).
pub fn is_console_key_id(id: &str) -> bool {
    id.starts_with("AKIA") && crate::iam::is_access_key_id(id)
}

/// A secret access key's shape: 40 characters of the base64 alphabet.
pub fn is_secret_shape(s: &str) -> bool {
    s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+')
}

/// Read a console key file's bytes.
pub fn parse(bytes: &[u8]) -> Result<CsvKey, CsvProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| problem(1, t!("csv-not-utf8")))?;
    let recs = records(text)?;
    let Some((hline, header)) = recs.first() else {
        return Err(problem(1, t!("csv-empty")));
    };
    let (Some(ci), Some(cs)) = (
        column(header, "Access key ID"),
        column(header, "Secret access key"),
    ) else {
        return Err(problem(*hline, t!("csv-bad-header")));
    };
    let cu = column(header, "User name");
    let rows = &recs[1..];
    let Some((line, row)) = rows.first() else {
        return Err(problem(hline + 1, t!("csv-no-row")));
    };
    if let Some((second, _)) = rows.get(1) {
        return Err(problem(*second, t!("csv-two-rows")));
    }
    if row.len() != header.len() {
        return Err(problem(
            *line,
            t!("csv-columns", found = row.len(), want = header.len()),
        ));
    }
    let key_id = row[ci].trim().to_string();
    if !is_console_key_id(&key_id) {
        return Err(problem(*line, t!("csv-bad-key-id", id = key_id)));
    }
    let secret = row[cs].trim();
    if !is_secret_shape(secret) {
        return Err(problem(*line, t!("csv-bad-secret", len = secret.len())));
    }
    Ok(CsvKey {
        key_id,
        secret: SecretString::from(secret.to_string()),
        user: cu
            .map(|c| row[c].trim().to_string())
            .filter(|u| !u.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn both_console_formats_with_bom_crlf_and_quotes() {
        let new = format!("\u{feff}Access key ID,Secret access key\r\n{ID},{SECRET}\r\n");
        let k = parse(new.as_bytes()).unwrap();
        assert_eq!(k.key_id, ID);
        assert_eq!(k.secret.expose_secret(), SECRET);
        assert_eq!(k.user, None);
        let old = format!(
            "\u{feff}User name,Password,Access key ID,Secret access key,Console login link\r\n\"mspuser\",\"p,\"\"w\",{ID},\"{SECRET}\",https://1.signin.aws.amazon.com/console\r\n"
        );
        let k = parse(old.as_bytes()).unwrap();
        assert_eq!(k.key_id, ID);
        assert_eq!(k.secret.expose_secret(), SECRET);
        assert_eq!(k.user.as_deref(), Some("mspuser"));
        // LF only, no final line end.
        let k = parse(format!("Access key ID,Secret access key\n{ID},{SECRET}").as_bytes());
        assert_eq!(k.unwrap().key_id, ID);
    }

    #[test]
    fn bad_files_name_the_line_and_never_the_secret() {
        let cases = [
            (String::new(), 1),
            ("Name,Value\r\nA,B\r\n".to_string(), 1),
            ("Access key ID,Secret access key\r\n".to_string(), 2),
            (
                format!("Access key ID,Secret access key\r\n{ID},{SECRET}\r\n{ID},{SECRET}\r\n"),
                3,
            ),
            (
                format!("Access key ID,Secret access key\r\nakia-nope,{SECRET}\r\n"),
                2,
            ),
            (
                format!(
                    "Access key ID,Secret access key\r\n{ID},{}\r\n",
                    &SECRET[..39]
                ),
                2,
            ),
            (format!("Access key ID,Secret access key\r\n{ID}\r\n"), 2),
            (
                format!("Access key ID,Secret access key\r\n{ID},\"{SECRET}\r\n"),
                2,
            ),
        ];
        for (text, line) in cases {
            let e = parse(text.as_bytes()).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e:?}");
            assert!(!e.reason.contains(&SECRET[..20]), "{e:?}");
            assert!(!e.reason.is_empty());
        }
        assert!(parse(b"\xff\xfe").is_err());
    }
}
