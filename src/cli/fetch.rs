//! `fetch [LAB] [NAME…] [--yes] [--json]`: the wanted values read from their sources (AWS,
//! kubeconfig, git, GitHub), shown, then noted on confirmation. `--yes` notes only what is
//! sure: one match, or a place of a complete numbered set; without a terminal and without
//! `--yes` nothing is noted. Every rule is `app::sources`'s; this file asks and prints.

use std::io::IsTerminal;

use serde_json::{json, Value};

use super::keys::AwsArgs;
use super::{print_json, prompt, CmdResult, Ctx};
use crate::app::sources::{self, ReadOutcome, SourceValue, ValueFound};
use crate::t;

#[derive(clap::Args, Debug)]
pub struct FetchArgs {
    /// Only the values this lab asks for or uses (default: the whole course).
    pub lab: Option<String>,
    /// Only these values of the lab (any name the course gives them; read again even when
    /// noted).
    #[arg(requires = "lab")]
    pub names: Vec<String>,
    /// Note without asking what is sure: one match, or a complete numbered set.
    #[arg(long)]
    pub yes: bool,
    /// Print what was found as JSON (nothing is noted unless --yes).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

fn candidate_line(c: &SourceValue) -> String {
    let place = match &c.region {
        Some(r) => format!("{}, {r}", c.service),
        None => c.service.to_string(),
    };
    if c.label.is_empty() {
        format!("{}  [{place}: {}]", c.value, c.resource)
    } else {
        format!("{}  ({})  [{place}: {}]", c.value, c.label, c.resource)
    }
}

fn to_json(f: &ValueFound, noted: Option<&str>) -> Value {
    let cand = |c: &SourceValue| {
        json!({"value": c.value, "resource": c.resource, "label": c.label,
               "source": c.service, "region": c.region})
    };
    let (outcome, detail) = match &f.outcome {
        ReadOutcome::One(c) => ("one", cand(c)),
        ReadOutcome::Numbered { index, pick } => {
            ("numbered", json!({"index": index, "pick": cand(pick)}))
        }
        ReadOutcome::Choose(cs) => ("choose", Value::Array(cs.iter().map(cand).collect())),
        ReadOutcome::Missing(m) => ("missing", json!(m)),
        ReadOutcome::Failed(m) => ("failed", json!(m)),
        ReadOutcome::Unsure(ks) => (
            "unsure",
            Value::Array(ks.iter().map(|k| json!(k.name())).collect()),
        ),
    };
    json!({
        "key": f.key,
        "name": f.name,
        "kind": f.kind.map(|k| k.name()),
        "outcome": outcome,
        "found": detail,
        "noted_before": f.noted,
        "noted": noted,
    })
}

pub fn fetch(ctx: &Ctx, a: FetchArgs) -> CmdResult {
    let course = ctx.open_course()?;
    let cfg = crate::app::course_config(ctx)?;
    let only = a.lab.as_deref().map(|l| course.resolve(l)).transpose()?;
    let values = sources::selected(ctx, &course, &cfg, only, &a.names)?;
    let needs_github = sources::needs_github(&course, &cfg, &values);
    let opts = sources::options(ctx, &course, &cfg, a.aws.options(), needs_github);
    let found = sources::read(&course, &cfg, &values, opts);
    let terminal = std::io::stdin().is_terminal();
    let mut noted: Vec<Option<String>> = vec![None; found.len()];
    if !a.json {
        if found.is_empty() {
            ctx.note(&t!("fetch-nothing"));
            return Ok(());
        }
        for f in &found {
            print_found(&course, f);
        }
    }
    // What is noted: with --yes what is sure; on a terminal, asked (a pick among several).
    let mut failed = None;
    for (i, f) in found.iter().enumerate() {
        let pick = match (&f.outcome, a.yes, terminal && !a.json) {
            (o, true, _) => o.sure().cloned(),
            (ReadOutcome::Choose(cs), false, true) => pick_one(f, cs),
            (o, false, true) => o
                .sure()
                .filter(|_| prompt::confirm(&t!("fetch-confirm", key = f.key.clone()), true))
                .cloned(),
            _ => None,
        };
        let Some(c) = pick else { continue };
        match sources::note(ctx, &course, f, &c) {
            Ok(n) => {
                noted[i] = Some(c.value.clone());
                if !a.json {
                    ctx.note(&t!(
                        "fetch-noted",
                        key = f.key.clone(),
                        lab = course.labs[n.lab].lab.id.clone(),
                        value = c.value.clone()
                    ));
                }
            }
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    if a.json {
        let v: Vec<Value> = found
            .iter()
            .zip(&noted)
            .map(|(f, n)| to_json(f, n.as_deref()))
            .collect();
        print_json(&json!(v));
    } else if !a.yes && !terminal && found.iter().any(|f| f.outcome.sure().is_some()) {
        ctx.note(&t!("fetch-yes-to-note"));
    }
    if let Some(e) = failed {
        return Err(e.into());
    }
    Ok(())
}

fn print_found(course: &crate::app::Course, f: &ValueFound) {
    let lab = &course.labs[f.lab].lab.id;
    let kind = f.kind.map_or(String::new(), |k| format!(" [{}]", k.name()));
    println!("«{}» ({lab}){kind}", f.key);
    match &f.outcome {
        ReadOutcome::One(c) => println!("    = {}", candidate_line(c)),
        ReadOutcome::Numbered { index, pick } => {
            println!("    #{index} = {}", candidate_line(pick))
        }
        ReadOutcome::Choose(cs) => {
            println!("    {}", t!("fetch-several", n = cs.len()));
            for (i, c) in cs.iter().enumerate() {
                println!("    {}) {}", i + 1, candidate_line(c));
            }
        }
        ReadOutcome::Missing(m) => println!("    {}", m),
        ReadOutcome::Failed(m) => println!("    {}", t!("fetch-failed", reason = m.clone())),
        ReadOutcome::Unsure(ks) => {
            let names: Vec<&str> = ks.iter().map(|k| k.name()).collect();
            println!(
                "    {}",
                t!(
                    "fetch-unsure",
                    kinds = names.join(", "),
                    key = f.key.clone()
                )
            )
        }
    }
}

/// Ask which candidate to note (a number; Enter skips).
fn pick_one(f: &ValueFound, cs: &[SourceValue]) -> Option<SourceValue> {
    let answer = prompt::ask(&t!("fetch-pick", key = f.key.clone(), n = cs.len()))?;
    let n: usize = answer.trim().parse().ok()?;
    cs.get(n.checked_sub(1)?).cloned()
}
