//! The integration tests: one binary (as ripgrep does), so the AWS SDK and the rest of labnote
//! are linked once. Each module is one area; `course` and `moto` are the shared harness.

mod course;
mod moto;

mod age_interop;
mod cli_progress;
mod iam_moto;
mod issue_crash;
mod issue_key;
mod journal_concurrency;
mod later_labs;
mod memo_cli;
mod memo_props;
mod parse_fixtures;
mod parse_props;
mod placeholders_agree;
mod run_cmd;
mod script_props;
mod walk_pty;
