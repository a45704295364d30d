//! `labnote-credentials`: `labnote credential-process` as its own small executable.
//!
//! The AWS tools start the `credential_process` of a profile before every command a student
//! runs. `labnote aws-profile` writes this executable there when it is installed beside
//! `labnote` (cargo installs both): the same command, the same output and exit codes
//! ([`labnote::cli::credential_process_main`]), without the other commands' code to map and
//! relocate at every start.
fn main() {
    // Die quietly on a closed pipe, as `labnote` does.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    labnote::locale::init();
    std::process::exit(labnote::cli::credential_process_main());
}
