//! `issue-key` and `export-csv`: the access-key step and the console's "Download .csv file".

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use serde_json::json;

use super::{print_json, CmdResult, Ctx, Failure};
use crate::app::keys::{access_key_entries, AwsOptions, KeyInfo, Ui};
use crate::app::keys::{latest_pair_lab, IssueOptions};
use crate::app::AppError;

/// The terminal side of an issuance: a spinner on stderr, and a confirmation prompt.
pub struct TermUi {
    spinner: Option<indicatif::ProgressBar>,
    yes: bool,
    quiet: bool,
}

impl TermUi {
    pub fn new(yes: bool, quiet: bool) -> TermUi {
        let spinner = (super::style::animate_stderr() && !quiet).then(|| {
            let pb = indicatif::ProgressBar::new_spinner();
            pb.enable_steady_tick(Duration::from_millis(100));
            pb
        });
        TermUi {
            spinner,
            yes,
            quiet,
        }
    }
}

fn ts(t: Option<jiff::Timestamp>) -> String {
    crate::app::timefmt::short_or_never(t)
}

impl Ui for TermUi {
    fn finish(&self) {
        if let Some(s) = &self.spinner {
            s.finish_and_clear();
        }
    }

    fn progress(&self, msg: &str) {
        if let Some(s) = &self.spinner {
            s.set_message(msg.to_string());
        }
    }

    fn note(&self, msg: &str) {
        if self.quiet {
            return;
        }
        match &self.spinner {
            Some(s) => s.suspend(|| eprintln!("{msg}")),
            None => eprintln!("{msg}"),
        }
    }

    fn confirm_retire(&self, user: &str, keys: &[KeyInfo], retire: &KeyInfo) -> bool {
        let mut table = format!(
            "IAM user {user} has {} access key{} (the limit is 2):\n",
            keys.len(),
            if keys.len() == 1 { "" } else { "s" }
        );
        for k in keys {
            table.push_str(&format!(
                "  {} {:<22} {:<8} created {}  last used {}\n",
                if k.id == retire.id { "→" } else { " " },
                k.id,
                if k.active { "Active" } else { "Inactive" },
                ts(k.created),
                ts(k.last_used)
            ));
        }
        table.push_str(&format!(
            "→ {} will be retired: deactivated, then deleted (its secret no longer works).",
            retire.id
        ));
        let ask = || -> bool {
            if self.yes && self.quiet {
                return true;
            }
            eprintln!("{table}");
            if self.yes {
                return true;
            }
            if !std::io::stdin().is_terminal() {
                eprintln!("{}", crate::t!("keys-retire-needs-terminal"));
                return false;
            }
            super::prompt::confirm(&crate::t!("keys-retire-ask", key = retire.id), false)
        };
        match &self.spinner {
            Some(s) => s.suspend(ask),
            None => ask(),
        }
    }
}

/// Options of `issue-key`.
#[derive(Debug, clap::Args)]
pub struct IssueArgs {
    #[arg(help = super::LAB_HELP)]
    pub lab: String,
    /// IAM user (default: iam_user of the lab in course.yaml, else the student user the lab
    /// names, `(수강생 : NAME)`, else the calling user).
    #[arg(long)]
    pub user: Option<String>,
    #[command(flatten)]
    pub aws: AwsArgs,
    /// The key's description tag, as the console's "Set description tag".
    #[arg(long)]
    pub description: Option<String>,
    /// The key to retire when the user already has 2.
    #[arg(long, value_name = "KEY_ID")]
    pub retire: Option<String>,
    /// Issue a new key even if the memo holds an active one, and retire the old one.
    #[arg(long)]
    pub rotate: bool,
    /// Retire a key without asking (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[arg(long, help = super::JSON_HELP)]
    pub json: bool,
}

/// Where an issuance reaches AWS, and who signs its requests.
#[derive(Debug, clap::Args)]
pub struct AwsArgs {
    /// AWS profile (default: the standard chain: env, AWS_PROFILE, default profile).
    #[arg(long)]
    pub profile: Option<String>,
    /// AWS region (default: configured, else us-east-1).
    #[arg(long)]
    pub region: Option<String>,
    /// IAM endpoint, e.g. a local server (AWS_ENDPOINT_URL is honoured too).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

impl AwsArgs {
    pub(crate) fn options(&self) -> AwsOptions {
        AwsOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            ..AwsOptions::default()
        }
    }
}

impl IssueArgs {
    /// What the student chose, for the application layer.
    fn options(&self) -> IssueOptions {
        IssueOptions {
            user: self.user.clone(),
            aws: self.aws.options(),
            description: self.description.clone(),
            retire: self.retire.clone(),
            rotate: self.rotate,
        }
    }
}

pub fn issue_key(ctx: &Ctx, a: IssueArgs) -> CmdResult {
    let ui = TermUi::new(a.yes, ctx.quiet);
    issue_key_with(ctx, &a.lab, &a.options(), a.json, &ui)
}

/// `issue-key` for the lab `lab_arg` names, with the front end's own [`Ui`] (`walk` asks
/// before it creates a key); `json`: the outcome as JSON.
pub(super) fn issue_key_with(
    ctx: &Ctx,
    lab_arg: &str,
    opts: &IssueOptions,
    json: bool,
    ui: &dyn Ui,
) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = crate::app::course_config(ctx)?;
    let k = course.resolve(lab_arg)?;
    let cl = &course.labs[k];
    if ctx.verbose > 0 {
        ctx.note(&crate::app::keys::aws_context(&cfg, opts));
    }
    let result = crate::app::keys::issue_key(ctx, &course, k, opts, ui);
    ui.finish();
    let out = match result {
        Ok(out) => out,
        // An IAM or credential problem, told plainly (which profile, what to run).
        Err(AppError::Issue(e)) => {
            return Err(Failure {
                code: e.exit_code(),
                message: crate::app::keys::issue_message(&e, opts.aws.profile.as_deref()),
            })
        }
        Err(e) => return Err(e.into()),
    };
    if ctx.quiet && !json {
        return Ok(()); // the key is in the memo and the journal; -q asked for no summary
    }
    if json {
        print_json(&json!({
            "lab": cl.lab.id,
            "user": out.user(),
            "access_key_id": out.key_id(),
            "created": out.created(),
            "retired": out.retired(),
            "path": cl.rel_path,
        }));
        return Ok(());
    }
    if !out.created() {
        println!(
            "{}",
            crate::t!(
                "keys-already-holds",
                lab = cl.lab.id.clone(),
                key = out.key_id().to_string(),
                user = out.user().to_string()
            )
        );
        return Ok(());
    }
    let (id_key, secret_key) = access_key_entries(&cl.lab).unwrap_or_default();
    println!(
        "{}",
        crate::t!("keys-issued-user", user = out.user().to_string())
    );
    println!(
        "{}",
        crate::t!("keys-issued-key", key = out.key_id().to_string())
    );
    if !out.retired().is_empty() {
        let keys = out.retired().join(", ");
        println!("{}", crate::t!("keys-issued-retired", keys = keys));
    }
    println!(
        "{}",
        crate::t!(
            "keys-issued-saved",
            path = cl.rel_path.clone(),
            id_key = id_key.clone(),
            secret_key = secret_key.clone()
        )
    );
    let cmd = format!("labnote memo get \"{secret_key}\" --lab {}", cl.lab.id);
    println!("          {}", crate::t!("keys-issued-read", cmd = cmd));
    Ok(())
}

/// Run the recovery of an interrupted issuance; called before every command but
/// `credential-process` (which the AWS tools call: no network, no prompt, see
/// [`crate::app::keys::credential_pair`]).
pub fn recover(ctx: &Ctx) {
    if !crate::app::keys::recovery_waits(ctx) {
        return;
    }
    let ui = TermUi::new(true, ctx.quiet);
    let r = crate::app::keys::recover(ctx, &ui);
    ui.finish();
    match r {
        Ok(msgs) => {
            for m in msgs {
                eprintln!("labnote: {m}");
            }
        }
        Err(e) => ctx.warn(&e.to_string()),
    }
}

pub fn export_csv(ctx: &Ctx, lab_arg: Option<&str>, out: Option<&Path>, force: bool) -> CmdResult {
    let course = ctx.open_course()?;
    let k = match lab_arg {
        Some(a) => course.resolve(a)?,
        None => latest_pair_lab(ctx, &course)?,
    };
    let cl = &course.labs[k];
    let records = if out.is_none() {
        ctx.load_journal()?
    } else {
        Vec::new()
    };
    let (id, path) = match crate::app::keys::export_csv(&course, &records, k, out, force) {
        Ok(written) => written,
        Err(AppError::Store(e)) => return Err(Failure::user(e.to_string())),
        Err(e) => return Err(e.into()),
    };
    ctx.note(&crate::t!(
        "keys-csv-written",
        path = path.display().to_string(),
        id = id,
        lab = cl.lab.id.clone()
    ));
    Ok(())
}

/// Options of `import-csv`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The `.csv` the IAM console downloaded (`USER_accessKeys.csv` or `credentials.csv`).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// The lab (default: the lab whose step downloads the key's `.csv`).
    #[arg(value_name = "LAB")]
    pub lab: Option<String>,
    /// Delete the `.csv` once the encrypted secret is written and read back.
    #[arg(long)]
    pub remove: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `import-csv FILE [LAB] [--remove]`: the key of the console's `.csv` into the lab's memo
/// (through `app::keys::import_csv_file`, as the web page's upload), then STS says whose it is.
pub fn import_csv(ctx: &Ctx, a: ImportArgs) -> CmdResult {
    let course = ctx.open_course()?;
    let k = crate::app::keys::csv_lab(&course, a.lab.as_deref())?;
    let imp = crate::app::keys::import_csv_file(ctx, &course, k, &a.file, a.remove)?;
    println!(
        "{}",
        crate::t!(
            "csv-saved",
            path = imp.rel_path.clone(),
            id_key = imp.id_key.clone(),
            secret_key = imp.secret_key.clone(),
            key_id = imp.key_id.clone()
        )
    );
    if a.remove {
        println!(
            "{}",
            crate::t!("csv-removed", file = a.file.display().to_string())
        );
    }
    if ctx.verbose > 0 {
        ctx.note(&crate::app::keys::context_of(&a.aws.options()));
    }
    match crate::app::keys::check_imported(ctx, &course, k, &imp, &a.aws.options()) {
        Ok(check) => {
            println!(
                "{}",
                crate::t!("csv-account", account = check.account.clone())
            );
            let user = check.user.clone().unwrap_or_else(|| check.arn.clone());
            println!(
                "{}",
                crate::t!("csv-user", user = user.clone(), arn = check.arn.clone())
            );
            if check.other_user() {
                ctx.warn(&crate::t!(
                    "csv-other-user",
                    user = user,
                    lab = imp.lab.clone(),
                    expected = check.expected.clone().unwrap_or_default()
                ));
            }
        }
        Err(AppError::Iam(e)) => ctx.warn(&crate::t!(
            "csv-check-failed",
            reason = crate::app::keys::iam_message(&e),
            lab = imp.lab.clone()
        )),
        Err(e) => ctx.warn(&crate::t!(
            "csv-check-failed",
            reason = e.to_string(),
            lab = imp.lab.clone()
        )),
    }
    Ok(())
}
