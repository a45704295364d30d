//! The static files, embedded in the binary: plain JavaScript and CSS, no build step.

const APP_JS: &str = include_str!("static/app.js");
const RUN_JS: &str = include_str!("static/run.js");
const RUN_CSS: &str = include_str!("static/run.css");
const APP_CSS: &str = include_str!("static/app.css");

/// A static file by name: its content type and bytes.
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "app.js" => Some(("text/javascript; charset=utf-8", APP_JS)),
        "run.js" => Some(("text/javascript; charset=utf-8", RUN_JS)),
        "run.css" => Some(("text/css; charset=utf-8", RUN_CSS)),
        "app.css" => Some(("text/css; charset=utf-8", APP_CSS)),
        _ => None,
    }
}
