//! The integration tests: one binary (as ripgrep does), so the AWS SDK and the rest of labnote
//! are linked once. Each module is one area; `course` and `moto` are the shared harness.

mod course;
mod moto;

mod age_interop;
mod age_more;
mod app_layer;
mod aws_profiles;
mod blocks;
mod cli_conventions;
mod cli_progress;
mod clipboard;
mod i18n;
mod iam_moto;
mod input_rules;
mod issue_crash;
mod issue_key;
mod issue_planted;
mod issue_stall;
mod journal_concurrency;
mod lab_user;
mod later_labs;
mod lint;
mod memo_cli;
mod memo_props;
mod parse_fixtures;
mod parse_props;
mod placeholders_agree;
mod render_term;
mod run_cmd;
mod run_note;
mod run_note_again;
mod script_props;
mod session;
mod session_shells;
mod sweep;
mod textsafe;
mod tmux;
mod untrusted;
mod walk_note;
mod walk_pty;
mod walk_student;
mod wanted;
mod web_badges;
mod web_browser;
mod web_http;
