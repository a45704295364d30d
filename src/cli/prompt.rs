//! Prompts on the terminal: one line of input from the student.

use std::io::{BufRead, Write};

/// Ask for one line on stderr; `None` at end of input.
pub fn ask(prompt: &str) -> Option<String> {
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_string()),
    }
}
