//! `aws-profile`: a profile of the AWS config file whose `credential_process` is labnote;
//! the use case is [`crate::app::aws_profile`], here are its arguments and the listing.
//!
//! The AWS CLI, boto3 and the SDKs use a profile's static keys in `~/.aws/credentials` before
//! its `credential_process`, so a student who ran `aws configure --profile lab` first would
//! keep signing with the old key, silently: we warn, and `--replace` comments those keys out
//! (after a backup). The command line pins the course and the identity file, so AWS tools
//! started from another environment (another `XDG_CONFIG_HOME`, no `LABNOTE_IDENTITY`) still
//! find them.

use super::{CmdResult, Ctx};
use crate::app::aws_profile::{self as use_case, ProfileRequest};
use crate::t;

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// The profile name (ASCII letters, digits and - _ . @ +), as in `aws --profile NAME`.
    #[arg(required_unless_present_any = ["list", "remove"])]
    pub name: Option<String>,
    /// The profile's region (default: `region` of course.yaml).
    #[arg(long)]
    pub region: Option<String>,
    /// Pin the profile to one lab's key (default: the latest pair noted in the course).
    #[arg(long)]
    pub lab: Option<String>,
    /// Comment out static keys of the same profile in the credentials and config files
    /// (a backup of each changed file is kept), so the AWS tools use labnote's key.
    #[arg(long)]
    pub replace: bool,
    /// List the profiles of the AWS config file that get their key from labnote.
    #[arg(long, conflicts_with_all = ["name", "remove", "replace", "region", "lab"])]
    pub list: bool,
    /// Remove the labnote profile NAME from the AWS config file.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["name", "replace", "region", "lab"])]
    pub remove: Option<String>,
}

pub fn aws_profile_cmd(ctx: &Ctx, a: ProfileArgs) -> CmdResult {
    if a.list {
        return list(ctx);
    }
    if let Some(name) = &a.remove {
        return Ok(use_case::remove(ctx, name)?);
    }
    let name = a.name.as_deref().unwrap_or_default();
    let req = ProfileRequest {
        region: a.region,
        lab: a.lab,
        replace: a.replace,
    };
    Ok(use_case::set(ctx, name, &req)?)
}

fn list(ctx: &Ctx) -> CmdResult {
    let (path, found) = use_case::list()?;
    for p in &found {
        println!(
            "{}\tcourse {}\tlab {}\tregion {}\tidentity {}",
            p.name,
            p.course,
            p.lab.as_deref().unwrap_or("(latest)"),
            p.region.as_deref().unwrap_or("-"),
            p.identity.as_deref().unwrap_or("(default)")
        );
    }
    if found.is_empty() {
        ctx.note(&t!("awsprofile-none", path = path));
    }
    Ok(())
}
