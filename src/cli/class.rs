//! `labnote class`: join a class, see what is shared, push it; the instructor's status.
//! Every rule is in [`crate::app::class`]; this parses and prints.

use clap::Subcommand;

use super::{print_json, CmdResult, Ctx, Failure, JSON_HELP};
use crate::app::class;
use crate::render::{pad, width};
use crate::t;

#[derive(Debug, Subcommand)]
pub enum ClassCmd {
    /// Report this course's progress (never a value) to the class repository URL under NAME.
    Join {
        /// The class repository (https://…, ssh://…, user@host:path, file:///…).
        url: String,
        /// Your name in the class: letters, digits, `-`, `_`.
        #[arg(long = "as", value_name = "NAME")]
        name: String,
        /// A memo key whose value (a GitHub token) git may use to push; read from the memo
        /// when git asks, never written anywhere else.
        #[arg(long, value_name = "MEMO_KEY")]
        token: Option<String>,
    },
    /// Stop reporting to the class.
    Leave,
    /// Print exactly what would be sent to the class.
    Preview,
    /// Send the report now and wait (exit 1 with the reason when it cannot).
    Push {
        /// Run as the background push started after `done`, a run or a walk step.
        #[arg(long, hide = true)]
        background: bool,
    },
    /// The instructor's view: one row per student of the class repository URL.
    Status {
        /// The class repository (as the students joined it, or a local copy: file:///…).
        url: String,
        #[arg(long, help = JSON_HELP)]
        json: bool,
        /// A student with no step checked for more than this many minutes is marked stuck.
        #[arg(long, value_name = "MINUTES", default_value_t = class::STUCK_AFTER)]
        stuck_after: i64,
    },
    /// git's credential helper for `join --token` (git runs it; reads git's request on stdin).
    #[command(hide = true)]
    Credential {
        /// git's action: `get` is answered; `store` and `erase` are ignored.
        action: String,
    },
}

pub fn class_cmd(ctx: &Ctx, cmd: ClassCmd) -> CmdResult {
    match cmd {
        ClassCmd::Join { url, name, token } => {
            let s = class::join(ctx, &url, &name, token.as_deref())?;
            ctx.note(&t!("class-joined", url = s.url, name = s.name));
            Ok(())
        }
        ClassCmd::Leave => {
            match class::leave(ctx)? {
                Some(s) => ctx.note(&t!("class-left", url = s.url)),
                None => ctx.note(&t!("class-was-not-joined")),
            }
            Ok(())
        }
        ClassCmd::Preview => {
            let bytes = class::preview(ctx)?;
            print!("{}", String::from_utf8_lossy(&bytes));
            Ok(())
        }
        ClassCmd::Push { background: true } => {
            // Nobody waits for it: what it could say goes nowhere.
            let _ = class::background(ctx);
            Ok(())
        }
        ClassCmd::Push { background: false } => {
            match class::push(ctx, false)? {
                class::Pushed::Sent => ctx.note(&t!("class-pushed")),
                class::Pushed::Unchanged => ctx.note(&t!("class-unchanged")),
            }
            Ok(())
        }
        ClassCmd::Status {
            url,
            json,
            stuck_after,
        } => {
            if stuck_after < 0 {
                return Err(Failure::user(t!("class-bad-stuck-after")));
            }
            let view = class::status(&url, stuck_after)?;
            if json {
                print_json(&class::status_json(&view));
            } else {
                print_status(&view);
            }
            Ok(())
        }
        ClassCmd::Credential { action } => {
            if action == "get" {
                let req = class::read_credential_request(&mut std::io::stdin().lock());
                if let Some(answer) = class::credential(ctx, &req) {
                    print!("{answer}");
                }
            }
            Ok(())
        }
    }
}

/// One line per student: the labs as cells (█ done, ▒ begun, · not begun), the course's
/// count, the current step, idle minutes and the marks. Columns are measured as a terminal
/// draws them (Korean headers are two columns a letter).
fn print_status(view: &class::ClassView) {
    if view.rows.is_empty() {
        println!("{}", t!("class-no-students"));
        return;
    }
    let ids: Vec<&str> = view.labs.iter().map(|(id, _)| id.as_str()).collect();
    let head = [
        t!("class-col-student"),
        t!("class-col-labs"),
        t!("class-col-done"),
        t!("class-col-current"),
        t!("class-col-idle"),
        t!("class-col-marks"),
    ];
    let mut lines: Vec<[String; 6]> = Vec::new();
    let mut invalid: Vec<(String, String)> = Vec::new();
    for r in &view.rows {
        let name = crate::textsafe::visible(&r.student).into_owned();
        if !r.valid {
            let why = t!(
                "class-invalid",
                reason = r.problem.clone().unwrap_or_default()
            );
            invalid.push((name, crate::textsafe::visible(&why).into_owned()));
            continue;
        }
        let cells: String = ids
            .iter()
            .map(|id| match r.labs.get(*id) {
                Some(c) if c.total > 0 && c.done >= c.total => '█',
                Some(c) if c.done > 0 => '▒',
                _ => '·',
            })
            .collect();
        let (done, total) = r
            .labs
            .values()
            .fold((0, 0), |(d, t), c| (d + c.done, t + c.total));
        let current = r.current.as_ref().map_or_else(
            || "—".to_string(),
            |c| crate::textsafe::visible(&format!("{} {}", c.lab, c.step)).into_owned(),
        );
        let idle = r
            .idle_minutes
            .map_or_else(|| "—".to_string(), |m| format!("{m}m"));
        let mut marks = Vec::new();
        if r.stuck {
            marks.push(t!("class-mark-stuck"));
        }
        if r.failing {
            marks.push(t!("class-mark-failing"));
        }
        lines.push([
            name,
            cells,
            format!("{done}/{total}"),
            current,
            idle,
            marks.join(" "),
        ]);
    }
    let mut w = [0usize; 6];
    for l in std::iter::once(&head).chain(lines.iter()) {
        for (k, cell) in l.iter().enumerate() {
            w[k] = w[k].max(width(cell));
        }
    }
    for (name, _) in &invalid {
        w[0] = w[0].max(width(name));
    }
    let right = |s: &str, n: usize| format!("{}{s}", " ".repeat(n.saturating_sub(width(s))));
    let print = |l: &[String; 6]| {
        let line = format!(
            "{}  {}  {}  {}  {}  {}",
            pad(&l[0], w[0]),
            pad(&l[1], w[1]),
            right(&l[2], w[2]),
            pad(&l[3], w[3]),
            right(&l[4], w[4]),
            l[5]
        );
        println!("{}", line.trim_end());
    };
    print(&head);
    for l in &lines {
        print(l);
    }
    for (name, why) in &invalid {
        println!("{}  {why}", pad(name, w[0]));
    }
    println!("{}", t!("class-legend", labs = ids.join(" ")));
}
