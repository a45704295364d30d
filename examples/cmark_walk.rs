//! The floor for `benches/labs.sh`: read every markdown file under a folder and walk
//! pulldown-cmark's offset events over it, doing nothing else.
use pulldown_cmark::{Options, Parser};

fn walk(dir: &std::path::Path, events: &mut usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, events);
        } else if p.extension().is_some_and(|x| x == "md") {
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            *events += Parser::new_ext(&text, Options::ENABLE_TABLES)
                .into_offset_iter()
                .count();
        }
    }
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut events = 0;
    walk(std::path::Path::new(&dir), &mut events);
    println!("{events} events");
}
