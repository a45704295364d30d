//! Command-line definitions and the thin layer that calls the library and renders results.
//!
//! Commands hold no logic of their own beyond choosing, calling and printing.

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::t;

mod agecmd;
mod awsprofile;
mod blocks;
mod capture;
mod class;
mod clipboard;
mod copy;
mod docs;
mod fastargs;
mod fetch;
mod help;
mod keys;
mod later;
mod lint;
mod memo;
mod progress;
mod prompt;
mod run;
pub mod style;
mod term;
mod termview;
mod walk;
mod walknote;
mod wanted;

pub use crate::app::progress::step_lookup;

const EXIT_HELP: &str = "Exit codes: 0 ok; 1 user error (a usage error such as an unknown \
option or a missing argument, an unknown lab or step); 2 data error (unreadable or invalid \
file, failed service call).";

/// The exit code of a usage error. clap would say 2, but 2 is labnote's data error; a wrong
/// argument is the user's to fix, so it is a user error like an unknown lab.
pub const EXIT_USAGE: i32 = 1;

/// Help of `--json`, on every command that has it.
pub const JSON_HELP: &str = "Print JSON instead of text (the field names never change).";
/// Help of a LAB argument.
pub const LAB_HELP: &str = "The lab: short id (`2-4`), file path or file stem.";
/// Help of an optional LAB argument that narrows a course-wide command.
pub const SOME_LAB_HELP: &str = "Only this lab (default: the whole course).";
/// Help of `--lab` on the commands that use a noted access key.
pub const KEY_LAB_HELP: &str =
    "The lab holding the key (default: the latest pair noted in the course).";
/// Help of a memo KEY argument.
pub const KEY_HELP: &str =
    "The memo key, e.g. \"AWS Secret Access key\" (case and spaces inside << >> ignored).";

const ISSUE_HELP: &str = "The AWS identity you use needs: iam:ListAccessKeys, iam:CreateAccessKey, \
iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed, iam:TagUser, sts:GetCallerIdentity.";

/// Follow a course of labs: steps and progress, memo values with age-encrypted secrets,
/// AWS access keys, and the commands of each step.
#[derive(Debug, Parser)]
#[command(name = "labnote", version, after_help = EXIT_HELP)]
pub struct Cli {
    /// The course folder (the labs are the markdown files under it).
    #[arg(long, global = true, env = "LABNOTE_COURSE", value_name = "DIR")]
    pub course: Option<PathBuf>,
    /// Quiet: no notes, progress or summaries; only errors, warnings and the output asked
    /// for (a listing, a value, JSON).
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More messages (which lab a value came from, what was done).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The age identity to decrypt with (default: LABNOTE_IDENTITY, else
    /// $XDG_CONFIG_HOME/labnote/identity.txt); a passphrase-protected one is asked for.
    #[arg(long, global = true, value_name = "FILE")]
    pub identity: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every lab of the course with its progress.
    Labs {
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// The step tree of a lab with done marks.
    Steps {
        #[arg(help = LAB_HELP)]
        lab: String,
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// Mark steps done (a section marks all its steps).
    Done {
        #[arg(help = LAB_HELP)]
        lab: String,
        /// Step id (`2-2`, `2-2.2` for a repeated number) or an unambiguous number.
        #[arg(required = true)]
        steps: Vec<String>,
    },
    /// Mark steps not done.
    Undo {
        #[arg(help = LAB_HELP)]
        lab: String,
        /// Step ids to mark not done (as for `done`).
        #[arg(required = true)]
        steps: Vec<String>,
    },
    /// The next unchecked step, rendered.
    Next {
        /// Limit to one lab (default: the lab last worked on, else the first unfinished one).
        lab: Option<String>,
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// The journal of executed steps, newest last.
    Log {
        #[arg(help = SOME_LAB_HELP)]
        lab: Option<String>,
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// Create your age identity (X25519, age-keygen format, mode 0600) and print its public key.
    Init,
    /// The memo values of the labs (secrets age-encrypted in the lab file).
    #[command(subcommand)]
    Memo(MemoCmd),
    /// Perform the access-key step: create an AWS access key for the lab's IAM user (retiring
    /// one when the user already has 2) and save it in the lab's memo, the secret encrypted.
    #[command(after_help = ISSUE_HELP)]
    IssueKey(keys::IssueArgs),
    /// Check the course for its authors: placeholders nothing asks to note, note points
    /// nobody uses, example output in command blocks, broken fences, missing files, dead
    /// table-of-contents entries, memo keys written twice, plaintext credentials, mixed line
    /// endings, repeated step numbers.
    Lint(lint::LintArgs),
    /// Read the values the course wants from where they were created — EC2, ACM, EFS, EKS,
    /// kubeconfig, a git remote, GitHub — show them, and note them on confirmation (--yes:
    /// only one match, or a complete numbered set).
    Fetch(fetch::FetchArgs),
    /// Every distinct placeholder of a lab and where its value comes from (never a secret).
    Placeholders {
        #[arg(help = LAB_HELP)]
        lab: String,
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// The values the course still needs, each once: the placeholders meaning it, where it is
    /// used, and the step (or memo block) that asks to note it.
    Wanted {
        /// Only the values this lab asks for or uses.
        lab: Option<String>,
        #[arg(long, help = JSON_HELP)]
        json: bool,
        /// List the note points instead: every place that asks to note a value, with the
        /// value names it gives (none: a generic "note the output").
        #[arg(long)]
        points: bool,
    },
    /// A lab (or one step) rendered for the terminal, placeholders filled with --fill.
    Show {
        #[arg(help = LAB_HELP)]
        lab: String,
        /// Only this step: an id (`2-2`) or an unambiguous number.
        #[arg(long)]
        step: Option<String>,
        /// Fill placeholders with the noted values (secrets shown as ••••).
        #[arg(long)]
        fill: bool,
        /// With --fill, show secrets too.
        #[arg(long, requires = "fill")]
        reveal: bool,
        /// Code blocks without borders, long values never cut: copy exactly what is shown.
        #[arg(long)]
        raw: bool,
        /// Show `<details>` blocks open instead of folded.
        #[arg(long)]
        details: bool,
    },
    /// Export lines for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: `eval "$(labnote env)"`.
    Env {
        #[arg(long, help = KEY_LAB_HELP)]
        lab: Option<String>,
        /// Shell syntax (default: from $SHELL, else bash).
        #[arg(long, value_enum)]
        shell: Option<later::Shell>,
    },
    /// Print the key pair as AWS credential_process JSON (for `aws-profile`).
    CredentialProcess {
        #[arg(long, help = KEY_LAB_HELP)]
        lab: Option<String>,
    },
    /// Add or update `[profile NAME]` in the AWS config file with credential_process set to
    /// labnote (AWS_CONFIG_FILE honoured; a backup is kept on the first change).
    AwsProfile(awsprofile::ProfileArgs),
    /// Run one command with the lab's key in its environment: `labnote exec -- aws s3 ls`.
    /// Exits with the command's exit code.
    Exec {
        /// The lab holding the key (default: the latest pair noted in the course).
        #[arg(long)]
        lab: Option<String>,
        /// The command and its arguments.
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "CMD"
        )]
        command: Vec<std::ffi::OsString>,
    },
    /// Run a step's commands (bash/sh/shell blocks), each after confirmation; a step that
    /// passes is checked. The access-key step runs `issue-key`.
    Run(run::RunArgs),
    /// Follow a lab step by step on a terminal: done, run, memo, copy, expand, open image, skip, back, quit; then the next lab.
    Walk {
        /// The lab (default: the lab last worked on, else the first unfinished one).
        lab: Option<String>,
        /// IAM user for the access-key step.
        #[arg(long)]
        user: Option<String>,
    },
    /// Put a memo value or placeholder on the clipboard without printing it (tmux buffer,
    /// the terminal's clipboard through OSC 52, the desktop clipboard where one exists).
    Copy {
        /// Any written form: `"<<발급받은 AWS Secret Access key>>"`, `github_token`, …
        name: String,
    },
    /// The course in the browser: prints `http://127.0.0.1:PORT/?token=…` and serves until
    /// Ctrl-C (default port 8080, the next free one if taken; Cloud9's preview uses 8080).
    Serve(ServeArgs),
    /// Write the console's access-key CSV (`Access key ID,Secret access key`), mode 0600.
    ExportCsv {
        #[arg(long, help = KEY_LAB_HELP)]
        lab: Option<String>,
        /// The CSV file to write (default: the console's file name in your Downloads folder,
        /// else your home folder; never inside the course or a git work tree without --force).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace an existing file; write inside the course or a git work tree anyway.
        #[arg(long)]
        force: bool,
    },
    /// Read the access-key CSV the IAM console downloads (either format) into the access-key
    /// lab's memo, the secret age-encrypted, then check the key with AWS STS.
    ImportCsv(keys::ImportArgs),
    /// Print a shell completion script: `labnote completions bash > ~/.local/share/bash-completion/completions/labnote`.
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `labnote man | man -l -`.
    Man,
    /// The class: report progress (never a value) to a git repository the instructor reads.
    #[command(subcommand)]
    Class(class::ClassCmd),
}

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port (default 8080, or the next free one); 0 for any free port.
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address lets others on the network in.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also accept this Host name (a proxy in front of labnote, such as Cloud9's preview).
    #[arg(long, value_name = "HOST")]
    pub allow_host: Vec<String>,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Let the page run a block even when --bind is not a loopback address.
    #[arg(long)]
    pub allow_run: bool,
    /// Also show the class of this repository as a live grid at /class (the instructor's
    /// view, as `labnote class status URL`).
    #[arg(long, value_name = "URL")]
    pub class: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum MemoCmd {
    /// Entries of one lab or of the whole course (never a secret's value).
    List {
        #[arg(help = SOME_LAB_HELP)]
        lab: Option<String>,
        #[arg(long, help = JSON_HELP)]
        json: bool,
    },
    /// Note a value. Secrets (by key name, --secret or course.yaml) are encrypted with age.
    Set {
        #[arg(help = LAB_HELP)]
        lab: String,
        /// The memo key, e.g. "AWS Secret Access key", or any written form of the value
        /// (`<<메모한 Cluster URL>>`): it is stored under the key of the value it means.
        key: String,
        /// The value; `-` reads all of stdin (only a final newline dropped); omitted on a terminal:
        /// prompted without echo.
        value: Option<String>,
        /// Treat the value as secret even if the key does not say so.
        #[arg(long)]
        secret: bool,
        /// Note under a new key a name that means no value of the course (without it, such
        /// a name is refused with the close values listed; on a terminal, you pick one).
        #[arg(long)]
        new: bool,
    },
    /// Print a value (decrypted) and a newline.
    Get {
        #[arg(help = KEY_HELP)]
        key: String,
        /// The lab that holds it (default: the latest value noted anywhere in the course).
        #[arg(long)]
        lab: Option<String>,
    },
    /// Empty a value, keeping the entry.
    Unset {
        #[arg(help = LAB_HELP)]
        lab: String,
        #[arg(help = KEY_HELP)]
        key: String,
    },
    /// Remove an entry labnote added to a lab's memo block (the lab's own entries stay;
    /// `unset` empties them).
    Rm {
        #[arg(help = LAB_HELP)]
        lab: String,
        #[arg(help = KEY_HELP)]
        key: String,
    },
    /// Encrypt secret values that were noted in plaintext by hand.
    Seal {
        #[arg(help = SOME_LAB_HELP)]
        lab: Option<String>,
    },
    /// Re-encrypt every secret to your identity and the keys in recipients.txt (after adding
    /// a recipient), one lab file at a time.
    Rekey {
        #[arg(help = SOME_LAB_HELP)]
        lab: Option<String>,
    },
}

/// A failure with its exit code; the message names the file, line or argument and the fix.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn user(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
    pub fn data(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

/// The exit code follows the error's kind (see [`crate::app::ErrorKind`]): user error 1, data
/// error 2.
impl From<crate::app::AppError> for Failure {
    fn from(e: crate::app::AppError) -> Failure {
        Failure {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

/// The errors of the layers below, each through [`crate::app::AppError`] (one rule for the
/// exit code).
macro_rules! failure_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Failure {
                crate::app::AppError::from(e).into()
            }
        }
    )*};
}

failure_from!(
    crate::app::CourseError,
    crate::app::JournalError,
    crate::app::StoreError,
    crate::app::SecretError,
    crate::app::ConfigError,
    crate::app::LabFileError,
    crate::app::IssueError
);

pub type CmdResult = Result<(), Failure>;

/// Shared context of a command run.
pub struct Ctx {
    pub course_dir: PathBuf,
    pub quiet: bool,
    pub verbose: u8,
    /// Colours on stdout.
    pub color: bool,
}

impl Ctx {
    /// A message for the student on stderr (suppressed by -q).
    /// The message may quote a lab (a title, a key): it is printed through
    /// [`crate::textsafe::visible`], so a lab's escape sequence never reaches the terminal.
    pub fn note(&self, msg: &str) {
        if !self.quiet {
            eprintln!("{}", crate::textsafe::visible(msg));
        }
    }

    /// A warning on stderr, made safe to print as [`Ctx::note`] is.
    pub fn warn(&self, msg: &str) {
        let msg = crate::textsafe::visible(msg);
        eprintln!("labnote: {}", t!("cli-warning", msg = msg.as_ref()));
    }

    pub fn open_course(&self) -> Result<crate::app::Course, Failure> {
        Ok(crate::app::open_course(self)?)
    }

    /// Load the journal, reporting repairs.
    pub fn load_journal(&self) -> Result<Vec<crate::app::Record>, Failure> {
        Ok(crate::app::load_journal(self)?)
    }

    pub fn append(&self, records: &[crate::app::Record]) -> CmdResult {
        Ok(crate::app::append(self, records)?)
    }
}

/// The commands are a front end of the use cases: warnings on stderr.
impl crate::app::Front for Ctx {
    fn course_dir(&self) -> &std::path::Path {
        &self.course_dir
    }
    fn warn(&self, msg: &str) {
        Ctx::warn(self, msg);
    }
    fn note(&self, msg: &str) {
        Ctx::note(self, msg);
    }
}

/// The clap command of labnote, coloured as [`style::clap_color`] decides.
pub fn command() -> clap::Command {
    Cli::command().color(style::clap_color())
}

#[cfg(test)]
impl Cli {
    /// The whole command as clap builds it, without `LABNOTE_COURSE` (the tests compare
    /// parsers on the arguments alone).
    fn command_for_test() -> clap::Command {
        Cli::command().mut_arg("course", |a| a.env(None::<&str>))
    }
}

/// Parse the process's arguments, or exit: help and version with 0, a usage error with
/// [`EXIT_USAGE`] (the message on stderr, as clap writes it).
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = fastargs::credential_process(&args, std::env::var_os("LABNOTE_COURSE")) {
        return cli;
    }
    let parsed = help::localize(command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    }
}

pub fn print_json(v: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into())
    );
}

/// Run the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> i32 {
    let ctx = context(&cli);
    // Finish an access-key issuance that was interrupted (see `issue`); `completions` and
    // `man` describe labnote itself and touch no course; `credential-process` never talks to
    // the network (it names the command that finishes the recovery instead).
    if !matches!(
        cli.command,
        Command::Completions { .. }
            | Command::Man
            | Command::CredentialProcess { .. }
            | Command::Class(_)
    ) {
        keys::recover(&ctx);
    }
    let result = dispatch(&ctx, cli.command);
    // The shell of a `run`/`walk` session ends with the command.
    crate::app::run::end_session();
    exit_code(result)
}

/// The context of a command line's command (its `--identity` set as the identity to use).
fn context(cli: &Cli) -> Ctx {
    if let Some(p) = cli.identity.clone() {
        crate::app::set_identity_override(p);
    }
    Ctx {
        course_dir: cli.course.clone().unwrap_or_else(|| PathBuf::from(".")),
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: style::color_stdout(),
    }
}

/// The exit code of a command's result, its error said on stderr.
fn exit_code(result: CmdResult) -> i32 {
    match result {
        Ok(()) => 0,
        Err(f) => {
            // An error may quote a lab (a placeholder name): shown safe, as notes are.
            let msg = crate::textsafe::visible(&f.message);
            eprintln!("labnote: {}", t!("cli-error", msg = msg.as_ref()));
            f.code
        }
    }
}

/// The whole of the `labnote-credentials` executable: `credential-process` alone, in the
/// argument forms [`fastargs::credential_process`] reads (the line `aws-profile` writes), with
/// what `labnote credential-process` prints and exits with. The AWS tools start it before
/// every command a student runs; holding none of the other commands (no clap, no AWS SDK, no
/// server), it starts in a third of the time `labnote` does. Any other command line is a
/// usage error that names `labnote`.
pub fn credential_process_main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = fastargs::credential_process(&args, std::env::var_os("LABNOTE_COURSE"));
    let Some((cli, lab)) = cli.and_then(|cli| match &cli.command {
        Command::CredentialProcess { lab } => {
            let lab = lab.clone();
            Some((cli, lab))
        }
        _ => None,
    }) else {
        eprintln!("labnote: {}", t!("cli-credentials-usage"));
        return EXIT_USAGE;
    };
    exit_code(later::credential_process(&context(&cli), lab.as_deref()))
}

fn dispatch(ctx: &Ctx, cmd: Command) -> CmdResult {
    match cmd {
        Command::Labs { json } => progress::labs(ctx, json),
        Command::Steps { lab, json } => progress::steps(ctx, &lab, json),
        Command::Done { lab, steps } => progress::mark(ctx, &lab, &steps, true),
        Command::Undo { lab, steps } => progress::mark(ctx, &lab, &steps, false),
        Command::Next { lab, json } => progress::next(ctx, lab.as_deref(), json),
        Command::Log { lab, json } => progress::log(ctx, lab.as_deref(), json),
        Command::Init => memo::init(ctx),
        Command::Memo(m) => match m {
            MemoCmd::List { lab, json } => memo::list(ctx, lab.as_deref(), json),
            MemoCmd::Set {
                lab,
                key,
                value,
                secret,
                new,
            } => memo::set(ctx, &lab, &key, value, secret, new),
            MemoCmd::Get { key, lab } => memo::get(ctx, &key, lab.as_deref()),
            MemoCmd::Unset { lab, key } => memo::unset(ctx, &lab, &key),
            MemoCmd::Rm { lab, key } => memo::rm(ctx, &lab, &key),
            MemoCmd::Seal { lab } => memo::seal(ctx, lab.as_deref()),
            MemoCmd::Rekey { lab } => agecmd::rekey(ctx, lab.as_deref()),
        },
        Command::IssueKey(a) => keys::issue_key(ctx, a),
        Command::Lint(a) => lint::lint(ctx, a),
        Command::Fetch(a) => fetch::fetch(ctx, a),
        Command::Placeholders { lab, json } => later::placeholders(ctx, &lab, json),
        Command::Wanted { lab, json, points } => match points {
            true => wanted::points(ctx, lab.as_deref(), json),
            false => wanted::wanted(ctx, lab.as_deref(), json),
        },
        Command::Show {
            lab,
            step,
            fill,
            reveal,
            raw,
            details,
        } => {
            let look = termview::Look {
                fill,
                reveal,
                raw,
                details_open: details,
                hints: crate::render::Hints::Command,
                marks: true,
                plain: false,
            };
            later::show(ctx, &lab, step.as_deref(), &look)
        }
        Command::Env { lab, shell } => later::env_cmd(ctx, lab.as_deref(), shell),
        Command::CredentialProcess { lab } => later::credential_process(ctx, lab.as_deref()),
        Command::AwsProfile(a) => awsprofile::aws_profile_cmd(ctx, a),
        Command::Exec { lab, command } => later::exec(ctx, lab.as_deref(), &command),
        Command::Run(a) => run::run(ctx, a),
        Command::Walk { lab, user } => walk::walk(ctx, lab.as_deref(), user),
        Command::Copy { name } => copy::copy(ctx, &name),
        Command::Serve(a) => serve(ctx, a),
        Command::ExportCsv { lab, out, force } => {
            keys::export_csv(ctx, lab.as_deref(), out.as_deref(), force)
        }
        Command::ImportCsv(a) => keys::import_csv(ctx, a),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man => docs::man(),
        Command::Class(c) => class::class_cmd(ctx, c),
    }
}

/// `serve`: the web front end ([`crate::web`]).
fn serve(ctx: &Ctx, a: ServeArgs) -> CmdResult {
    let opts = crate::web::ServeOptions {
        course_dir: ctx.course_dir.clone(),
        port: a.port,
        bind: a.bind,
        allow_hosts: a.allow_host,
        open: a.open,
        allow_run: a.allow_run,
        class_url: a.class.clone(),
    };
    let announce = |url: &str, exposed: bool| {
        if exposed {
            ctx.warn(&t!("serve-exposed", addr = a.bind.to_string()));
        }
        println!("{url}");
        ctx.note(&t!("serve-started"));
    };
    crate::web::serve(opts, &announce).map_err(|e| Failure::user(e.to_string()))
}
