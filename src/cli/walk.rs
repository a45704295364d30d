//! `walk`: follow a lab step by step on a terminal.
//!
//! One walk is one process: the shell session of `run` (see `session`) lives as long as the
//! walk, across steps and across labs when the student goes on to the next one. Without a
//! lab the walk resumes the lab last worked on (see `resume`). At each step the student
//! chooses: done, run (the access-key step is performed through IAM, after a confirmation
//! that shows the user, the account and what would be retired), memo, copy a value of the
//! step to the clipboard (never printed), expand the step's `<details>`, open an image, write
//! the key's `.csv` (on the step that downloads it), skip, back, quit.

use std::cell::Cell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::progress::{print_step, StepView};
use super::prompt::{ask, confirm};
use super::run::{run_step, RunArgs};
use super::{CmdResult, Ctx, Failure};
use crate::app::keys::{IssuePlan, KeyInfo, Ui};
use crate::app::progress::{first_open, step_record};
use crate::app::resolve::{resolver, Resolution, Source};
use crate::app::step::{self as step_rules, is_csv_step, step_body, step_names};
use crate::app::Course;
use crate::app::Lab;
use crate::app::StepAt;
use crate::app::{Progress, StepState};
use crate::t;
use crate::view::{self, ImageFile};

/// The walk's progress bar: the one of `labs`, 20 cells.
fn bar(done: usize, total: usize) -> String {
    crate::app::progress::bar(done, total, 20)
}

pub fn walk(ctx: &Ctx, lab_arg: Option<&str>, user: Option<String>) -> CmdResult {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::user(t!("walk-needs-terminal")));
    }
    let mut course = ctx.open_course()?;
    let mut k = start_lab(ctx, &course, lab_arg)?;
    let p = Progress::from_records(&ctx.load_journal()?);
    let mut cur: Option<usize> = first_open(&p, &course.labs[k].lab);
    // The step whose `<details>` the student opened (closed again on the next step).
    let mut expanded: Option<(usize, usize)> = None;
    loop {
        // Every lab, not only the walked one: `m`, or the offer after `r`, may have noted a
        // value into another lab, which this step's placeholders and masking must see.
        for j in 0..course.labs.len() {
            course.reload(j)?;
        }
        let records = ctx.load_journal()?;
        let p = Progress::from_records(&records);
        let lab = &course.labs[k].lab;
        let leaves: Vec<usize> = (0..lab.steps.len())
            .filter(|&i| lab.steps[i].checkable)
            .collect();
        let Some(i) = cur.filter(|i| *i < lab.steps.len()) else {
            print_end(&p, lab, &leaves);
            let Some(n) = offer_next(&course, &p, k) else {
                return Ok(());
            };
            k = n;
            cur = first_open(&p, &course.labs[n].lab);
            continue;
        };
        print_bars(&course, &p, lab);
        let open = expanded == Some((k, i));
        let here = StepAt { lab: k, step: i };
        show_step(ctx, &course, here, &p, open)?;
        let at = WalkAt::new(&course, k, i, &leaves, open);
        super::walknote::announce(ctx, &course, here)?;
        at.print_hints();
        if at.key_step && !is_done(&p, lab, i) {
            print_key_hint(ctx, &course, k, user.as_ref())?;
        }
        let menu = at.menu();
        let mark = if is_done(&p, lab, i) {
            format!(" {}", t!("walk-done-mark"))
        } else {
            String::new()
        };
        let Some(choice) =
            super::prompt::ask_key(&format!("\n{}{mark}  {menu} > ", lab.steps[i].id))
        else {
            return Ok(());
        };
        if at.details && matches!(choice.as_str(), "e" | "E" | "expand") {
            expanded = if open { None } else { Some((k, i)) };
            continue;
        }
        match at.choose(ctx, &choice, &p, user.as_ref())? {
            Some(next) => cur = next,
            None => return Ok(()),
        }
    }
}

/// The lab named, else the one to resume (see `resume`).
fn start_lab(ctx: &Ctx, course: &Course, lab_arg: Option<&str>) -> Result<usize, Failure> {
    step_rules::start_lab(ctx, course, lab_arg)?.ok_or_else(|| Failure::user(t!("walk-all-done")))
}

/// After the last step of lab `k`: offer the next lab of the course that has a step left;
/// the index of the lab to go on with.
fn offer_next(course: &Course, p: &Progress, k: usize) -> Option<usize> {
    let n = step_rules::next_lab(course, p, k)?;
    let next = &course.labs[n].lab;
    let q = t!("walk-continue", lab = next.id, title = next.title);
    confirm(&format!("\n{q} "), true).then_some(n)
}

fn is_done(p: &Progress, lab: &Lab, i: usize) -> bool {
    let s = &lab.steps[i];
    p.state(&lab.id, &s.id, &s.fingerprint) == StepState::Done
}

/// The end of the walk: complete only if every step is done (skipping past the last step
/// ends the walk too).
fn print_end(p: &Progress, lab: &Lab, leaves: &[usize]) {
    let open = leaves.iter().filter(|&&l| !is_done(p, lab, l)).count();
    if open == 0 {
        println!(
            "\n{}",
            t!("walk-lab-complete", lab = lab.id, title = lab.title)
        );
    } else {
        println!(
            "\n{}",
            t!(
                "walk-lab-end",
                lab = lab.id,
                title = lab.title,
                open = open,
                steps = leaves.len()
            )
        );
    }
}

/// The lab's and the course's progress bars.
fn print_bars(course: &Course, p: &Progress, lab: &Lab) {
    let here = step_rules::lab_totals(p, lab);
    let (done_lab, leaves_n) = (here.done, here.total);
    let all = step_rules::course_totals(p, course);
    let (done_all, total_all) = (all.done, all.total);
    let (lab_word, course_word) = (t!("walk-bar-lab"), t!("walk-bar-course"));
    let w = crate::render::width(&lab_word).max(crate::render::width(&course_word));
    println!();
    println!(
        "{} {} {done_lab:>3}/{:<3} {}",
        crate::render::pad(&lab_word, w),
        bar(done_lab, leaves_n),
        leaves_n,
        crate::render::truncate(&format!("{} {}", lab.id, lab.title), 40)
    );
    println!(
        "{} {} {done_all:>3}/{:<3}",
        crate::render::pad(&course_word, w),
        bar(done_all, total_all),
        total_all
    );
    println!("{}", "─".repeat(60));
}

/// Where the walk is: step `i` of lab `k`, among its checkable `leaves`, and what the step
/// offers.
struct WalkAt<'a> {
    course: &'a Course,
    k: usize,
    i: usize,
    leaves: &'a [usize],
    runnable: bool,
    /// The lab's access-key step (performed through IAM).
    key_step: bool,
    /// The step that downloads the key's `.csv`.
    csv_step: bool,
    /// Values to copy: placeholders the step uses, values it asks to note.
    values: bool,
    /// `<<details>` in the step, and whether they are shown open now.
    details: bool,
    expanded: bool,
    /// The step's image destinations, as written.
    images: Vec<String>,
}

impl<'a> WalkAt<'a> {
    fn new(
        course: &'a Course,
        k: usize,
        i: usize,
        leaves: &'a [usize],
        expanded: bool,
    ) -> WalkAt<'a> {
        let lab = &course.labs[k].lab;
        let body = step_body(lab, i);
        let key_step = step_rules::offers_issue_key(course, StepAt { lab: k, step: i });
        WalkAt {
            course,
            k,
            i,
            leaves,
            runnable: key_step
                || super::blocks::of_step(&course.labs[k], i)
                    .is_ok_and(|v| v.iter().any(|c| c.class.may_run())),
            key_step,
            csv_step: is_csv_step(lab, i),
            values: !step_names(lab, i).is_empty(),
            details: body.contains("<details"),
            expanded,
            images: crate::app::files::image_dests(body),
        }
    }

    fn lab(&self) -> &Lab {
        &self.course.labs[self.k].lab
    }

    fn menu(&self) -> String {
        let mut items = vec![t!("walk-menu-done")];
        if self.runnable {
            items.push(t!("walk-menu-run"));
        }
        // A value can be noted at every step (the lab's memo block is made when needed).
        items.push(t!("walk-menu-memo"));
        if self.values {
            items.push(t!("walk-menu-copy"));
        }
        if self.details {
            items.push(if self.expanded {
                t!("walk-menu-fold")
            } else {
                t!("walk-menu-expand")
            });
        }
        if !self.images.is_empty() {
            items.push(t!("walk-menu-image"));
        }
        if self.csv_step {
            items.push(t!("walk-menu-csv"));
            items.push(t!("walk-menu-import-csv"));
        }
        items.extend([
            t!("walk-menu-skip"),
            t!("walk-menu-back"),
            t!("walk-menu-quit"),
        ]);
        items.join(" ")
    }

    /// What the step offers beyond the menu: the `.csv` labnote can write.
    fn print_hints(&self) {
        if self.csv_step {
            eprintln!("\n{}", t!("walk-csv-hint"));
            eprintln!("{}", t!("walk-import-csv-hint"));
        }
    }

    /// The first unchecked leaf after this one (or before it, wrapping).
    fn next_open(&self, p: &Progress) -> Option<usize> {
        crate::app::progress::next_open_after(p, self.lab(), self.i)
    }

    /// The leaf after this one, done or not.
    fn next_leaf(&self) -> Option<usize> {
        self.leaves.get(self.pos() + 1).copied()
    }

    fn pos(&self) -> usize {
        self.leaves.iter().position(|&l| l == self.i).unwrap_or(0)
    }

    /// Act on the student's choice: `Some(step to show next)`, or `None` to end the walk.
    fn choose(
        &self,
        ctx: &Ctx,
        choice: &str,
        p: &Progress,
        user: Option<&String>,
    ) -> Result<Option<Option<usize>>, Failure> {
        let (lab, i) = (self.lab(), self.i);
        let step = &lab.steps[i];
        let after = |ctx: &Ctx| -> Result<Progress, Failure> {
            Ok(Progress::from_records(&ctx.load_journal()?))
        };
        match choice {
            "d" | "D" | "done" => {
                if !is_done(p, lab, i) {
                    ctx.append(&[step_record(lab, i, "done").detail("by", "walk")])?;
                    crate::app::nudge::nudge(ctx);
                }
                return Ok(Some(self.next_open(&after(ctx)?)));
            }
            "r" | "R" | "run" if self.key_step => return self.issue_key(ctx, p, user),
            "r" | "R" | "run" if self.runnable => {
                let args = RunArgs {
                    lab: lab.id.clone(),
                    step: step.id.clone(),
                    yes: false,
                    shell: "bash".into(),
                    cwd: None,
                    list: false,
                    json: false,
                    user: user.cloned(),
                    dry_run: false,
                    note: Vec::new(),
                };
                match run_step(
                    ctx,
                    self.course,
                    StepAt {
                        lab: self.k,
                        step: i,
                    },
                    &args,
                ) {
                    Ok(()) => {
                        let p2 = after(ctx)?;
                        if is_done(&p2, lab, i) {
                            return Ok(Some(self.next_open(&p2)));
                        }
                    }
                    Err(f) => eprintln!("labnote: {}", f.message),
                }
            }
            "m" | "M" | "memo" => {
                // As with `r`: a value that cannot be noted is reported, and the walk goes on.
                if let Err(f) = super::walknote::note_value(
                    ctx,
                    self.course,
                    StepAt {
                        lab: self.k,
                        step: i,
                    },
                ) {
                    eprintln!("labnote: {}", f.message);
                }
            }
            "c" | "C" | "copy" if self.values => report(copy_value(
                ctx,
                self.course,
                StepAt {
                    lab: self.k,
                    step: i,
                },
            )),
            "o" | "O" | "open" if !self.images.is_empty() => report(self.open_image(ctx)),
            "x" | "X" | "csv" if self.csv_step => report(write_csv(ctx, self.course, self.k)),
            "i" | "I" | "import" if self.csv_step => report(read_csv(ctx, self.course, self.k)),
            "s" | "S" | "skip" => return Ok(Some(self.next_leaf())),
            "b" | "B" | "back" => return Ok(Some(Some(self.leaves[self.pos().saturating_sub(1)]))),
            "q" | "Q" | "quit" => return Ok(None),
            _ => eprintln!("{}", t!("walk-choose-one", menu = self.menu())),
        }
        Ok(Some(Some(i)))
    }

    /// `r` on the access-key step: say it is done when it is, else issue the key as
    /// `issue-key` does, after the student confirmed the plan ([`WalkUi`]). Once issued the
    /// walk goes on to the next step in order, the one that saves the key (and its `.csv`),
    /// which the issuance checked: it is shown, not passed over.
    fn issue_key(
        &self,
        ctx: &Ctx,
        p: &Progress,
        user: Option<&String>,
    ) -> Result<Option<Option<usize>>, Failure> {
        let (lab, i) = (self.lab(), self.i);
        if is_done(p, lab, i) {
            if let Ok((id, _, _)) = crate::app::keys::pair_of(self.course, self.k) {
                let cmd = format!("labnote issue-key {} --rotate", lab.id);
                ctx.note(&t!(
                    "walk-key-done",
                    step = lab.steps[i].id,
                    lab = lab.id,
                    key = id,
                    cmd = cmd
                ));
                return Ok(Some(Some(i)));
            }
        }
        let opts = crate::app::keys::IssueOptions {
            user: user.cloned(),
            ..Default::default()
        };
        let ui = WalkUi {
            quiet: ctx.quiet,
            confirmed: Cell::new(false),
        };
        if let Err(f) = super::keys::issue_key_with(ctx, &lab.id, &opts, false, &ui) {
            eprintln!("labnote: {}", f.message);
            return Ok(Some(Some(i)));
        }
        let p2 = Progress::from_records(&ctx.load_journal()?);
        if is_done(&p2, lab, i) {
            return Ok(Some(self.next_leaf()));
        }
        Ok(Some(Some(i)))
    }

    /// `o`: open an image of the step (the one, or the one chosen) with the system viewer.
    fn open_image(&self, ctx: &Ctx) -> CmdResult {
        let cl = &self.course.labs[self.k];
        let lab_files = crate::app::files::LabFiles::in_course(cl, &ctx.course_dir);
        let root = lab_files.root().to_path_buf();
        let files = lab_files.files();
        let found: Vec<ImageFile> = self
            .images
            .iter()
            .map(|d| view::resolve_image(d, &files))
            .collect();
        let n = if found.len() == 1 {
            0
        } else {
            eprintln!(
                "{}",
                t!("walk-images-head", step = self.lab().steps[self.i].id)
            );
            for (n, (dest, f)) in self.images.iter().zip(&found).enumerate() {
                let missing = matches!(f, ImageFile::Local { exists: false, .. });
                let state = if missing {
                    format!(" ({})", t!("walk-image-state-missing"))
                } else {
                    String::new()
                };
                eprintln!("  {}. {dest}{state}", n + 1);
            }
            match pick(&t!("walk-image-which"), found.len()) {
                Some(n) => n,
                None => return Ok(()),
            }
        };
        open_in_viewer(&self.images[n], &found[n], &root)
    }
}

/// Report a failure of a walk action and go on.
fn report(r: CmdResult) {
    if let Err(f) = r {
        eprintln!("labnote: {}", f.message);
    }
}

/// Ask for a number from 1 to `count`; the index, or `None` (empty, not a number).
fn pick(question: &str, count: usize) -> Option<usize> {
    let a = ask(&format!("{question} "))?;
    a.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .filter(|&n| n < count)
}

/// `c`: list the step's values by number (secrets masked, the missing ones said so) and
/// copy the chosen one to the clipboard as `labnote copy` does; the value is never printed.
fn copy_value(ctx: &Ctx, course: &Course, at: StepAt) -> CmdResult {
    let StepAt { lab: k, step: i } = at;
    let lab = &course.labs[k].lab;
    let cfg = crate::app::course_config(ctx)?;
    let records = ctx.load_journal()?;
    let r = resolver(course, &cfg, &records);
    let values = step_rules::step_values(&r, &cfg, lab, i);
    // Besides single values: each table cell, filled line and filled block of the step as
    // it will be pasted (`app::fill::step_pastes`, the rule the web page copies by).
    let fresh = || resolver(course, &cfg, &records);
    let pastes = crate::app::fill::step_pastes(fresh(), k, i, false)?;
    eprintln!("{}", t!("walk-values-head", step = lab.steps[i].id));
    for (n, (name, res)) in values.iter().enumerate() {
        eprintln!("  {}. {name}  {}", n + 1, shown_value(res));
    }
    for (n, p) in pastes.iter().enumerate() {
        eprintln!(
            "  {}. {}  {}",
            values.len() + n + 1,
            paste_kind(p.kind),
            one_line(secrecy::ExposeSecret::expose_secret(&p.text))
        );
    }
    let Some(n) = pick(&t!("walk-copy-which"), values.len() + pastes.len()) else {
        return Ok(());
    };
    if let Some(n) = n.checked_sub(values.len()) {
        let revealed = crate::app::fill::step_pastes(fresh(), k, i, true)?;
        let Some(p) = revealed.into_iter().nth(n) else {
            return Ok(());
        };
        let what = paste_kind(p.kind);
        let reached = super::copy::to_clipboard(&what, &what, &p.text)?;
        ctx.note(&t!("walk-copied", name = what, to = reached.join(", ")));
        return Ok(());
    }
    let (name, res) = &values[n];
    let mut keyring = None;
    let Some((value, _)) = super::copy::value_of(course, res, &mut keyring)? else {
        return Err(Failure::user(t!("walk-copy-missing", name = name)));
    };
    let reached = super::copy::to_clipboard(name, name, &value)?;
    ctx.note(&t!("walk-copied", name = name, to = reached.join(", ")));
    Ok(())
}

/// What a paste is, in `c`'s list: a table cell, a filled line, a whole block.
fn paste_kind(kind: crate::app::fill::PasteKind) -> String {
    use crate::app::fill::PasteKind;
    match kind {
        PasteKind::Cell => t!("walk-paste-cell"),
        PasteKind::Line => t!("walk-paste-line"),
        PasteKind::Block => t!("walk-paste-block"),
    }
}

/// A value as the list of `c` shows it: plain values on one line and cut, secrets masked.
fn shown_value(res: &Resolution) -> String {
    match &res.source {
        None => t!("walk-value-missing"),
        Some(_) if res.secret => t!("walk-value-secret"),
        Some(Source::Builtin { value }) => format!("= {}", one_line(value)),
        // A value of several lines as its lines, never its stored `b64:` form.
        Some(Source::Memo { raw, .. }) => {
            format!("= {}", one_line(&crate::app::fill::lines_of(raw)))
        }
    }
}

fn one_line(v: &str) -> String {
    crate::render::truncate(&v.replace(['\r', '\n'], "⏎"), 40)
}

/// Open `file` (the image `dest` of the lab) with the system viewer, detached; a missing,
/// remote or refused image is said so and nothing runs.
fn open_in_viewer(dest: &str, file: &ImageFile, root: &Path) -> CmdResult {
    let path = match file {
        ImageFile::Remote(url) => return Err(Failure::user(t!("walk-image-remote", url = url))),
        ImageFile::Refused(_) => return Err(Failure::user(t!("walk-image-refused", path = dest))),
        ImageFile::Local { rel, exists } => {
            let path = root.join(rel);
            if !exists {
                return Err(Failure::user(t!(
                    "walk-image-missing",
                    path = dest,
                    file = path
                )));
            }
            path
        }
    };
    let Some(real) = crate::app::files::inside_root(&path, root) else {
        return Err(Failure::user(t!("walk-image-refused", path = dest)));
    };
    let viewer = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(viewer)
        .arg(&real)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(_) => {
            return Err(Failure::user(t!(
                "walk-image-no-viewer",
                viewer = viewer,
                file = real
            )))
        }
    };
    // A viewer that fails says so at once; one that runs on is left to run (and reaped).
    let until = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        match child.try_wait() {
            Ok(Some(st)) if !st.success() => {
                let code = st.code().unwrap_or(-1);
                return Err(Failure::user(t!(
                    "walk-image-viewer-failed",
                    viewer = viewer,
                    file = real,
                    code = code
                )));
            }
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            _ => {
                std::thread::spawn(move || child.wait());
                break;
            }
        }
    }
    eprintln!("{}", t!("walk-image-opened", file = real, viewer = viewer));
    Ok(())
}

/// `x` on the `.csv` step: write the lab's key as the console's `.csv` (`export-csv`), at a
/// path the student gives (default: `USER_accessKeys.csv`, as the console names it, in the
/// Downloads folder, else HOME: [`crate::app::keys::default_csv_path`], outside the course).
fn write_csv(ctx: &Ctx, course: &Course, k: usize) -> CmdResult {
    let lab = &course.labs[k].lab;
    let records = ctx.load_journal()?;
    let default = crate::app::keys::default_csv_path(&records, &lab.id);
    let here = std::env::current_dir().unwrap_or_default();
    let folder = crate::app::run::shell_dir(&here);
    let Some(answer) = ask(&format!("{} ", t!("walk-csv-path", default = default))) else {
        return Ok(());
    };
    let path: PathBuf = match answer.as_str() {
        "" => default,
        "q" | "Q" => return Ok(()),
        a => super::blocks::expand(a, &folder),
    };
    super::keys::export_csv(ctx, Some(&lab.id), Some(&path), false)
}

/// At the access-key step, before `r`: it creates a real key in the AWS account the
/// credentials reach (named by profile, region and endpoint; the account itself is shown
/// and confirmed before anything is created).
fn print_key_hint(ctx: &Ctx, course: &Course, k: usize, user: Option<&String>) -> CmdResult {
    let cfg = crate::app::course_config(ctx)?;
    let opts = crate::app::keys::IssueOptions {
        user: user.cloned(),
        ..Default::default()
    };
    let who = crate::app::keys::user_for(&cfg, course, k, user.map(String::as_str))
        .unwrap_or_else(|| t!("walk-key-real-signed-in"));
    let context = crate::app::keys::aws_context(&cfg, &opts);
    eprintln!("\n{}", t!("walk-key-real", user = who, context = context));
    Ok(())
}

/// `i` on the `.csv` step: read the console's `.csv` (`import-csv`) from a path the student
/// gives (default: the file [`write_csv`] would name, in the walk's folder).
fn read_csv(ctx: &Ctx, course: &Course, k: usize) -> CmdResult {
    let lab = &course.labs[k].lab;
    let records = ctx.load_journal()?;
    let name = step_rules::csv_file_name(&records, &lab.id);
    let here = std::env::current_dir().unwrap_or_default();
    let folder = crate::app::run::shell_dir(&here);
    let default = folder.join(name);
    let Some(answer) = ask(&format!(
        "{} ",
        t!("walk-import-csv-path", default = default)
    )) else {
        return Ok(());
    };
    let file: PathBuf = match answer.as_str() {
        "" => default,
        "q" | "Q" => return Ok(()),
        a => super::blocks::expand(a, &folder),
    };
    let args = super::keys::ImportArgs {
        file,
        lab: Some(lab.id.clone()),
        remove: false,
        aws: super::keys::AwsArgs {
            profile: None,
            region: None,
            endpoint_url: None,
        },
    };
    super::keys::import_csv(ctx, args)
}

/// The walk's side of an issuance: it shows the plan with the account and asks before any
/// key is created; a retirement in the plan the student accepted is not asked again.
struct WalkUi {
    quiet: bool,
    confirmed: Cell<bool>,
}

impl Ui for WalkUi {
    fn progress(&self, msg: &str) {
        if !self.quiet {
            eprintln!("  {msg}");
        }
    }

    fn note(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    fn confirm_retire(&self, _user: &str, _keys: &[KeyInfo], _retire: &KeyInfo) -> bool {
        self.confirmed.get()
    }

    fn asks_before_create(&self) -> bool {
        true
    }

    fn confirm_create(&self, pv: &IssuePlan) -> bool {
        eprintln!("\n{}", t!("walk-key-preview-head"));
        eprintln!("  {}", t!("walk-key-preview-user", user = pv.user));
        eprintln!(
            "  {}",
            t!(
                "walk-key-preview-account",
                account = pv.account,
                arn = pv.caller_arn
            )
        );
        let keys: Vec<String> = pv
            .keys
            .iter()
            .map(|k| {
                let state = if k.active { "Active" } else { "Inactive" };
                format!("{} ({state})", k.id)
            })
            .collect();
        let keys = if keys.is_empty() {
            t!("walk-key-preview-none")
        } else {
            keys.join(", ")
        };
        eprintln!("  {}", t!("walk-key-preview-keys", keys = keys));
        if pv.retire.is_empty() {
            eprintln!("  {}", t!("walk-key-preview-no-retire"));
        }
        for k in &pv.retire {
            eprintln!("  {}", t!("walk-key-preview-retire", key = k.id));
        }
        let ok = confirm(&format!("{} ", t!("walk-key-confirm")), false);
        self.confirmed.set(ok);
        ok
    }
}

fn show_step(ctx: &Ctx, course: &Course, at: StepAt, p: &Progress, open: bool) -> CmdResult {
    print_step(ctx, course, at, p, false, &StepView::walk(open))
}
