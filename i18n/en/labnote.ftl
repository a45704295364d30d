# labnote's messages in English. Every key here must also be in i18n/ko/labnote.ftl
# (`cargo test --lib i18n` checks). Keys are grouped by the module that uses them.

## course.rs
course-no-folder = course folder { $path } does not exist or is not a folder; pass --course DIR or set LABNOTE_COURSE
course-unknown-lab = no lab matches '{ $arg }'
course-ambiguous-lab = '{ $arg }' matches several labs; name one of: { $labs }
course-no-labs = ; the course has no labs (markdown files with step headings)
course-labs-are = ; the labs are: { $labs }
course-linked-folder = a link to a folder: labnote does not follow it (it could lead out of the course), so the labs in it are not read; copy the folder into the course instead of linking it

## cli/progress.rs
progress-no-labs = no labs in { $path } (a lab is a markdown file with step headings); pass --course DIR
progress-labs-summary = { $labs ->
        [one] 1 lab
       *[other] { $labs } labs
    }, { $done } of { $steps } steps done
progress-no-step = lab { $lab } ({ $path }) has no step '{ $arg }'; its steps are: { $steps }
progress-step-number-ambiguous = step number '{ $arg }' is used by several steps of lab { $lab }; name one by id: { $steps }
progress-steps-done = { $done }/{ $steps } done
progress-edited-since-checked = (edited since it was checked)
progress-orphan-step = recorded as done, but the lab no longer has this step
progress-twin-step = note: '{ $arg }' is the step { $arg } ({ $title }); the same number also heads { $twins }: name it by that id
progress-already-done = (already done)
progress-already-open = (already open)
progress-all-done = every step is done

## cli/help.rs: help texts. The English help is the doc comments of src/cli (the source of
## the man page and the completions too); these English lines are the fallback and must say
## the same.
help-usage = Usage:
help-options = Options
help-arguments = Arguments
help-commands = Commands
help-labnote-after = Exit codes: 0 ok; 1 user error (a usage error such as an unknown option or a missing argument, an unknown lab or step); 2 data error (unreadable or invalid file, failed service call).
help-labnote = Follow a course of labs: steps and progress, memo values with age-encrypted secrets, AWS access keys, and the commands of each step.
help-arg-course = The course folder (the labs are the markdown files under it).
help-arg-quiet = Quiet: no notes, progress or summaries; only errors, warnings and the output asked for (a listing, a value, JSON).
help-arg-verbose = More messages (which lab a value came from, what was done).
help-arg-identity = The age identity to decrypt with (default: LABNOTE_IDENTITY, else $XDG_CONFIG_HOME/labnote/identity.txt); a passphrase-protected one is asked for.
help-arg-help = Print help
help-arg-version = Print version
help-arg-json = Print JSON instead of text (the field names never change).
help-arg-lab = The lab: short id (`2-4`), file path or file stem.
help-arg-some-lab = Only this lab (default: the whole course).
help-arg-key-lab = The lab holding the key (default: the latest pair noted in the course).
help-arg-key = The memo key, e.g. "AWS Secret Access key" (case and spaces inside << >> ignored).
help-labs = Every lab of the course with its progress.
help-steps = The step tree of a lab with done marks.
help-done = Mark steps done (a section marks all its steps).
help-done-steps = Step id (`2-2`, `2-2.2` for a repeated number) or an unambiguous number.
help-undo = Mark steps not done.
help-undo-steps = Step ids to mark not done (as for `done`).
help-next = The next unchecked step, rendered.
help-next-lab = Limit to one lab (default: the lab last worked on, else the first unfinished one).
help-log = The journal of executed steps, newest last.
help-init = Create your age identity (X25519, age-keygen format, mode 0600) and print its public key.
help-memo = The memo values of the labs (secrets age-encrypted in the lab file).
help-memo-list = Entries of one lab or of the whole course (never a secret's value).
help-memo-set = Note a value. Secrets (by key name, --secret or course.yaml) are encrypted with age.
help-memo-set-value = The value; `-` reads all of stdin (only a final newline dropped); omitted on a terminal: prompted without echo.
help-memo-set-secret = Treat the value as secret even if the key does not say so.
help-memo-get = Print a value (decrypted) and a newline.
help-memo-get-lab = The lab that holds it (default: the latest value noted anywhere in the course).
help-memo-unset = Empty a value, keeping the entry.
help-memo-seal = Encrypt secret values that were noted in plaintext by hand.
help-memo-rekey = Re-encrypt every secret to your identity and the keys in recipients.txt (after adding a recipient), one lab file at a time.
help-issue-key = Perform the access-key step: create an AWS access key for the lab's IAM user (retiring one when the user already has 2) and save it in the lab's memo, the secret encrypted.
help-placeholders = Every distinct placeholder of a lab and where its value comes from (never a secret).
help-show = A lab (or one step) rendered for the terminal, placeholders filled with --fill.
help-show-step = Only this step: an id (`2-2`) or an unambiguous number.
help-show-fill = Fill placeholders with the noted values (secrets shown as ••••).
help-show-reveal = With --fill, show secrets too.
help-env = Export lines for AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: `eval "$(labnote env)"`.
help-env-shell = Shell syntax (default: from $SHELL, else bash).
help-credential-process = Print the key pair as AWS credential_process JSON (for `aws-profile`).
help-aws-profile = Add or update `[profile NAME]` in the AWS config file with credential_process set to labnote (AWS_CONFIG_FILE honoured; a backup is kept on the first change).
help-exec = Run one command with the lab's key in its environment: `labnote exec -- aws s3 ls`. Exits with the command's exit code.
help-exec-lab = The lab holding the key (default: the latest pair noted in the course).
help-exec-command = The command and its arguments.
help-run = Run a step's commands (bash/sh/shell blocks), each after confirmation; a step that passes is checked. The access-key step runs `issue-key`.
help-walk = Follow a lab step by step on a terminal: done, run, memo, copy, expand, open image, skip, back, quit; then the next lab.
help-walk-lab = The lab (default: the lab last worked on, else the first unfinished one).
help-walk-user = IAM user for the access-key step.
help-export-csv = Write the console's access-key CSV (`Access key ID,Secret access key`), mode 0600.
help-export-csv-out = The CSV file to write.
help-export-csv-force = Replace an existing file.
help-completions = Print a shell completion script: `labnote completions bash > ~/.local/share/bash-completion/completions/labnote`.
help-completions-shell = The shell to complete for.
help-man = Print the manual page (roff): `labnote man | man -l -`.
help-wanted = The values the course still needs, each once: the placeholders meaning it, where it is used, and the step (or memo block) that asks to note it.
help-wanted-lab = Only the values this lab asks for or uses.
help-wanted-points = List the note points instead: every place that asks to note a value, with the value names it gives (none: a generic "note the output").
help-copy = Put a memo value or placeholder on the clipboard without printing it (tmux buffer, the terminal's clipboard through OSC 52, the desktop clipboard where one exists).
help-copy-name = Any written form: `"<<발급받은 AWS Secret Access key>>"`, `github_token`, …
help-memo-set-key = The memo key, e.g. "AWS Secret Access key", or any written form of the value (`<<메모한 Cluster URL>>`): it is stored under the key of the value it means.
help-help = Print this message or the help of the given subcommand(s)
help-memo-help = Print this message or the help of the given subcommand(s)
help-issue-key-after = The AWS identity you use needs: iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed, iam:TagUser, sts:GetCallerIdentity.
help-issue-key-user = IAM user (default: iam_user of the lab in course.yaml, else the calling user).
help-issue-key-description = The key's description tag, as the console's "Set description tag".
help-issue-key-retire = The key to retire when the user already has 2.
help-issue-key-rotate = Issue a new key even if the memo holds an active one, and retire the old one.
help-issue-key-yes = Retire a key without asking (required without a terminal).
help-issue-key-profile = AWS profile (default: the standard chain: env, AWS_PROFILE, default profile).
help-issue-key-region = AWS region (default: configured, else us-east-1).
help-run-step = The step whose commands to run: an id (`2-2`) or an unambiguous number.
help-run-yes = Run without asking (required without a terminal).
help-run-shell = The shell of `shell`, `console` and untagged blocks: bash, sh or zsh (a name or a path); `bash`, `sh` and `zsh` blocks run in their own.
help-run-cwd = Working folder (default: the course folder).
help-run-user = IAM user for the access-key step.
help-aws-profile-name = The profile name (ASCII letters, digits and - _ . @ +), as in `aws --profile NAME`.
help-aws-profile-region = The profile's region (default: `region` of course.yaml).
help-aws-profile-lab = Pin the profile to one lab's key (default: the latest pair noted in the course).
help-aws-profile-replace = Comment out static keys of the same profile in the credentials and config files (a backup of each changed file is kept), so the AWS tools use labnote's key.
help-aws-profile-list = List the profiles of the AWS config file that get their key from labnote.
help-aws-profile-remove = Remove the labnote profile NAME from the AWS config file.
help-issue-key-endpoint_url = IAM endpoint, e.g. a local server (AWS_ENDPOINT_URL is honoured too).

## secret.rs
secret-no-identity = no age identity at { $path }; run `labnote init` to create one, or set { $env } to an existing age identity or unencrypted SSH private key
secret-no-home = no place for a new age identity: neither HOME nor XDG_CONFIG_HOME (an absolute path) is set, and labnote does not put your key in the current folder, where it could be committed or lost; set HOME, or { $env } to the file to create
secret-insecure-permissions = identity { $path } is accessible by other users (mode { $mode }); run `chmod 600 { $path }` and retry
secret-read-key-file = cannot read { $path }: { $cause }
secret-encrypt = cannot encrypt the value: { $reason }
secret-not-encrypted = the value is not encrypted (it does not start with `{ $prefix }`)
secret-bad-base64 = the encrypted value is not valid base64 ({ $reason }); it was probably damaged when copied or edited by hand
secret-truncated = the encrypted value is truncated; it was probably cut when copied or edited by hand
secret-corrupt = the encrypted value is damaged: { $reason }
secret-wrong-identity = none of your identities can decrypt the value: it was encrypted to other recipients. Pass --identity FILE (or set { $env }) with the identity it was encrypted for
secret-no-terminal-for-passphrase = identity { $path } is protected by a passphrase and there is no terminal to ask for it; run the command from a terminal, or decrypt the identity once (`age -d -o PLAIN { $path }`, then `chmod 600 PLAIN` and --identity PLAIN)
secret-wrong-passphrase = identity { $path }: wrong passphrase (or the file was altered)
secret-not-utf8 = the decrypted value is not UTF-8 text, so labnote did not encrypt it

## cli/mod.rs
cli-error = error: { $msg }
cli-warning = warning: { $msg }
cli-skipped = { $path }: skipped: { $why }

## cli/agecmd.rs
agecmd-foreign-ciphertext = the value is an age ciphertext that your identity ({ $identity }) cannot decrypt; encrypt it to { $keys } (`labnote init` prints it), or pass --identity with the identity it was made for
agecmd-bad-ciphertext = the value starts with `age:` but is not a usable ciphertext: { $reason }
agecmd-cannot-decrypt = lab { $lab }, key '{ $key }': cannot decrypt the value: { $reason }
agecmd-cannot-encrypt = lab { $lab }, key '{ $key }': cannot encrypt: { $reason }
agecmd-rekey-stopped = lab { $lab }, key '{ $key }': cannot decrypt the value: { $reason }; nothing was re-encrypted
agecmd-rekeyed-lab = re-encrypted { $count } secret(s) in { $lab } ({ $path })
agecmd-rekeyed-total = { $count } secret(s) now encrypted to { $recipients } recipient(s): { $keys }

## cli/docs.rs
docs-cannot-render-man = cannot render the manual page: { $reason }
docs-cannot-write-stdout = cannot write to stdout: { $reason }

## cli/later.rs
later-no-placeholders = lab { $lab } has no placeholders
later-also-noted-in = (latest; also noted in { $labs })
later-builtin = built-in: { $value }
later-not-noted-closest = not noted — closest memo key: «{ $key }»
later-not-noted = not noted
later-exec-no-command = exec: no command given; usage: labnote exec -- CMD [ARG…]
later-exec-cannot-run = exec: cannot run { $program }: { $reason }
later-exec-wait = exec: waiting for the command: { $reason }

## cli/awsprofile.rs
awsprofile-no-config-file = no AWS config file: set AWS_CONFIG_FILE or HOME
awsprofile-no-credentials-file = no AWS credentials file: set AWS_SHARED_CREDENTIALS_FILE or HOME
awsprofile-not-utf8 = { $path }: not valid UTF-8 at byte { $byte }; fix the file first
awsprofile-backup = backup of { $path }: { $backup }
awsprofile-too-many-backups = { $path }: too many .labnote-backup files; remove old ones
awsprofile-no-own-path = cannot find labnote's own path: { $reason }
awsprofile-identity = identity { $path }: { $reason }
awsprofile-static-keys = profile { $name } also has static keys ({ $lines }); the AWS CLI and boto3 use those before labnote's key. Run `labnote aws-profile { $name } --replace` to comment them out (a backup is kept)
awsprofile-commenting-out = commenting out the static keys of profile { $name } ({ $lines })
awsprofile-no-region = no region: add `region: …` to course.yaml or pass --region, or the AWS CLI asks for one
awsprofile-unchanged = profile { $name } in { $path } is already set up; nothing changed
awsprofile-set = profile { $name } in { $path } now gets its keys from labnote (credential_process); try `aws sts get-caller-identity --profile { $name }`
awsprofile-none = no labnote profiles in { $path }
awsprofile-no-file = { $path } does not exist
awsprofile-not-ours = profile { $name } in { $path } is not a labnote profile (its credential_process is not labnote); edit the file by hand
awsprofile-no-such-profile = profile { $name } in { $path } does not exist; `labnote aws-profile --list` shows labnote's profiles
awsprofile-removed = removed profile { $name } from { $path }

## config.rs
config-read = { $path }: cannot read: { $reason }
config-invalid = { $path }:{ $line }:{ $column }: { $message }; see the course.yaml section of the README

## journal.rs
journal-read = { $path }: cannot read the journal: { $reason }
journal-encode = cannot encode a journal record: { $reason }
journal-torn-tail = { $path }: the last record was cut off (an interrupted write?); it was removed and kept in { $aside } — the earlier records are intact
journal-bad-lab-id = its lab id is empty, too long or has control characters
journal-lab-id-path = its lab id { $lab } looks like a path
journal-bad-step = its step or title is too long or has control characters
journal-bad-fingerprint = its fingerprint is not a hash
journal-bad-event = its event { $event } is not an event name
journal-bad-time = its time { $time } is not an RFC 3339 time
journal-bad-detail = its detail { $key } is not a plain short value
journal-damaged-record = it is damaged (not a readable record)
journal-record-set-aside = { $path }:{ $line }: journal record { $record } is not a record labnote wrote: { $why }; it was moved to { $aside } and will not be read again

## labfile.rs
labfile-read = { $path }: cannot read the lab: { $reason }
labfile-keeps-changing = { $path }: the lab keeps changing on disk while labnote writes to it (an editor saving?); nothing was written — try again
labfile-outside-course = { $path } is a link to { $target }, outside the course folder { $course }; labnote writes only files inside the course: copy the lab into the course (`cp --remove-destination { $target } { $path }`) and run the command again

## yamlguard.rs
yamlguard-too-deep = nested more than { $max } levels deep (at line { $line } column { $column }); labnote's YAML needs 3 levels

## store.rs
store-invalid-path = { $path }: not a file path ({ $reason })
store-no-file-name = it has no file name
store-no-parent = it has no parent folder
store-nul-byte = it contains a NUL byte
store-exists = { $path } already exists; refusing to overwrite it (use --force to replace it)
store-create-temp = cannot create a temporary file in { $path }: { $cause }
store-write = cannot write { $path }: { $cause }
store-read = cannot read { $path }: { $cause }
store-permissions = cannot set permissions of { $path }: { $cause }
store-rename = cannot replace { $path }: { $cause }
store-sync-dir = wrote { $path } but could not flush its folder { $dir }: { $cause }
store-create-dir = cannot create folder { $path }: { $cause }
store-open = cannot open { $path }: { $cause }
store-lock = cannot lock { $path }: { $cause }
store-link = { $path } is a symbolic link; labnote follows no link in its state folder (a course folder from someone else could point it at any of your files): remove the link (`rm { $path }`) and run the command again
store-not-regular = { $path } is { $kind }, not a regular file; labnote reads only regular files: remove it or replace it with the file itself
store-too-large = { $path } is larger than { $mib } MiB, more than labnote reads for such a file: check that it is the right file, or split it
store-hint-permission = (check that you own { $path } and may write in { $dir })
store-hint-read-only = (the filesystem is mounted read-only)
store-hint-disk-full = (free some disk space and retry)
store-hint-too-big = (the file reached the size limit of this process, `ulimit -f`, or of the filesystem)
store-kind-folder = a folder
store-kind-fifo = a FIFO (named pipe)
store-kind-char-device = a character device
store-kind-block-device = a block device
store-kind-socket = a socket
store-kind-symlink = a symbolic link
store-kind-special = a special file

## awsconfig.rs
awsconfig-empty-name = the profile name is empty
awsconfig-bad-char = the profile name '{ $name }' contains { $char }, which the AWS CLI cannot use in a profile name; use ASCII letters, digits and - _ . @ + (e.g. '{ $suggestion }')
awsconfig-leading-dash = the profile name '{ $name }' starts with '-', so `--profile { $name }` reads as an option; start it with a letter

## awserr.rs
awserr-no-profiles = none
awserr-or-unset = , or `unset AWS_PROFILE`
awserr-unknown-profile = AWS profile `{ $profile }` ({ $from }) is not defined in ~/.aws/config or ~/.aws/credentials (profiles there: { $have }); fix: `aws configure --profile { $profile }`{ $unset }
awserr-sso = the AWS SSO session is not logged in or has expired; fix: `aws sso login{ $flag }`
awserr-sso-profile = the AWS SSO session of profile `{ $profile }` is not logged in or has expired; fix: `aws sso login{ $flag }`
awserr-no-credentials = no AWS credentials found; fix: `aws login{ $flag }` (signs in as in the console, no key needed), or for a key made in the IAM console `labnote import-csv FILE` (its downloaded .csv); with a key you already have, `aws configure{ $flag }` (or `aws configure sso` then `aws sso login`); --endpoint-url practises on a local server
awserr-no-credentials-profile = no AWS credentials found for profile `{ $profile }`; fix: `aws login{ $flag }` (signs in as in the console, no key needed), or for a key made in the IAM console `labnote import-csv FILE` (its downloaded .csv); with a key you already have, `aws configure{ $flag }` (or `aws configure sso` then `aws sso login`); --endpoint-url practises on a local server
awserr-ctx-default-chain = default chain (environment, then profile `default`)
awserr-ctx-from = { $value } (from { $from })
awserr-ctx-region-default = the profile's, else us-east-1
awserr-ctx-endpoint-default = AWS's IAM/STS endpoints
awserr-ctx-line = aws: profile { $profile }; region { $region }; endpoint { $endpoint }; credentials { $credentials }
secret-dangling-link = is a symbolic link to a file that does not exist; remove the link or point { $env } elsewhere
secret-no-identity-inside = contains no identity
secret-key-file-too-large = larger than { $max } bytes, so not a key file
secret-wrapped-damaged = looks like an age-encrypted identity but is damaged or cut
secret-wrapped-to-key = is an age file encrypted to a key, not with a passphrase; point --identity at the identity itself
secret-work-factor = its passphrase work factor is too high to open here
secret-wrapped-undecryptable = cannot be decrypted (damaged?)
secret-passphrase-prompt = passphrase for { $path }:{" "}
secret-line-malformed-key = malformed AGE-SECRET-KEY-1 line (wrong length or checksum; was it cut?)
secret-line-public-key = this is a public key, not an identity; public keys of other people belong in recipients.txt
secret-line-ssh-public-key = this is an SSH public key; point the identity at the private key (without .pub)
secret-line-plugin = age plugin identities are not supported
secret-line-wrapped = passphrase-protected identity files are not supported
secret-line-not-identity = not an age identity (expected an AGE-SECRET-KEY-1… line, a # comment, or an unencrypted OpenSSH private key file)
secret-no-key-line = contains no AGE-SECRET-KEY-1… line; run `labnote init` with another path, or fix the file
secret-bad-ssh-key = not a usable OpenSSH private key ({ $reason })
secret-ssh-key-encrypted = the SSH key is passphrase-protected and labnote cannot prompt for it; run `labnote init` to create an age identity, or use an unencrypted key
secret-no-public-key = cannot derive the public key ({ $reason })
secret-bad-age-recipient = not a valid age1… X25519 public key (plugin recipients are not supported)
secret-ssh-type-unsupported = SSH key type { $kind } is not supported; use ssh-ed25519 or ssh-rsa
secret-rsa-too-small = the ssh-rsa key is shorter than 2048 bits
secret-rsa-too-large = the ssh-rsa key is larger than age supports
secret-bad-ssh-recipient = not a valid SSH public key ({ $reason })
secret-ssh-unsupported = this SSH key type is not supported; use ssh-ed25519 or ssh-rsa
secret-recipient-is-secret = this is a SECRET key: remove it and put its public key here instead (`age-keygen -y` prints it)
secret-recipient-expected = expected an age1… public key or an ssh-ed25519/ssh-rsa public key
secret-file-not-utf8 = the file is not UTF-8 text
secret-base64-char = invalid character at position { $position }
secret-base64-last-char = invalid final character at position { $position }
secret-cut-or-altered = it was cut or altered (authentication failed)
secret-not-age-file = it is not an age file
secret-header-altered = its header was altered
course-parser-thread = parser thread failed
awserr-from-region-or-course = --region or course.yaml

## cli/walknote.rs: walk's note points and its memo menu
walknote-asks = 📝 { $at } asks you to note: { $names }  (m to note it)
walknote-asks-used = 📝 { $at } asks you to note: { $names } — used in { $uses }  (m to note it)
walknote-tier-step = this step asks for:
walknote-tier-lab = memo block of { $lab }:
walknote-tier-course = still needed by the course:
walknote-state-noted = noted
walknote-state-empty = empty
walknote-new-name = a new name
walknote-which = which entry? (a number, or type a name; empty cancels) >{" "}
walknote-name-prompt = name of the new value (empty cancels) >{" "}
walknote-cancelled = nothing noted
walknote-no-such = there is no entry { $n }: choose 1 to { $last }, or type a name; nothing noted
walknote-hidden-prompt = { $key } (hidden):{" "}
walknote-block-hint = (a value of several lines: type { $marker } alone, then the lines, then an empty line)
walknote-cannot-read = cannot read the value: { $cause }
walknote-noted = noted '{ $key }' in { $lab }
walknote-unchanged = '{ $key }' in { $lab } already holds that value
walknote-new-identity = no age identity yet to encrypt '{ $key }': creating one as `labnote init` does (keep it: without it the value cannot be read back)
## render.rs, timefmt.rs, cli/termfill.rs: the terminal renderer and local times
render-image = [image: { $path }]
render-image-missing = missing
render-image-open-key = o opens it
render-image-outside = outside the course, not opened
render-details-no-summary = details
render-details-folded = ▸ { $summary } (folded) · { $how }
render-details-open-key = e opens it
render-details-open-flag = show --details opens it
time-never = never
## cli/run.rs (note11): running a step's blocks
help-run-note = Note a value from what the commands printed, without a terminal: NAME (any written form, as for `memo set`) gets the first match of REGEX, or its first capture group. Repeatable. No match: an error, and nothing is written.
run-no-commands = step { $step } ({ $title }) of lab { $lab } has no commands to run (only bash/sh/shell blocks, or bare blocks that start with a command, are run); mark it with `labnote done { $lab } { $step }`
run-needs-confirmation = running step { $step } needs your confirmation for each block: run on a terminal, or pass --yes
run-key-step = step { $step } is the access-key step: labnote performs it through the IAM API
run-key-step-done = ✔ step { $step } is done: the lab holds an active access key
run-note-key-step = --note: step { $step } is the access-key step; its values are noted by issue-key, not from output
run-note-shape = --note { $arg }: expected NAME=REGEX, e.g. --note "token=token:\s+(\S+)" (NAME is any written form of the value, as for `memo set`)
run-note-regex = --note { $arg }: the regex does not compile: { $reason }
run-note-not-taken = no value was noted: a block of step { $step } did not pass
run-block-of-step = block { $block } of step { $step }: { $msg }
run-not-noted-closest = <<{ $name }>> (closest memo key: «{ $key }»)
run-not-noted = block { $block } of step { $step } uses values that are not noted: { $names }; note them with `labnote memo set LAB KEY VALUE` first
run-block-header = ── block { $block }/{ $blocks } ({ $lang }) ─────────────
run-ask-block = Run this block? [Y/n/q]{" "}
run-skipped = skipped
run-passed = ✔ step { $step } passed and is checked
run-partial = { $skipped } block(s) skipped; step { $step } stays unchecked (`labnote done { $lab } { $step }` once you have done it yourself)
run-stopped = stopped; step { $step } stays unchecked
run-interrupted = interrupted; step { $step } stays unchecked
run-failed = a block of step { $step } failed with exit code { $code }; the step stays unchecked
run-example-not-run = an example in step { $step }: { $reason }
run-is-key-step = step { $step } of lab { $lab } is the access-key step: labnote performs it through the IAM API (`labnote issue-key { $lab }`, or Issue key on the lab's page), not by running its blocks
run-not-a-folder = { $what }: not a folder; create it (`mkdir -p { $path }`) or name another
run-current-dir = cannot read the current folder: { $reason }

## cli/capture.rs (note11): noting a value from command output
capture-no-match = --note: no match for { $name } (regex { $regex }) in the output of the step; nothing was noted or recorded. Check the regex against the output, or note the value with `labnote memo set { $lab } "{ $name }" VALUE`
capture-hidden = (secret, encrypted)
capture-noted = noted '{ $key }' in { $lab } ({ $path }): { $value }
capture-unchanged = '{ $key }' in { $lab } already holds that value; the file was not touched
capture-asks = lab { $lab } step { $steps } asks you to note: { $names }
capture-used-in = used in { $steps }
capture-already-noted = noted
capture-which-value = which value? (number; empty: none){" "}
capture-choose-number = choose a number from 1 to { $max }, or press Enter for none
capture-values-for = values for «{ $name }» in the output:
capture-line = line { $line }
capture-block = lines { $from }–{ $to } ({ $count } lines): { $first }
capture-type = type the value
capture-choose = note which? (number, b1…, t; empty: skip){" "}
capture-choose-again = choose a number of the list, b and a block's number, or t
capture-hidden-prompt = { $name } (hidden):{" "}
capture-cannot-read = cannot read the value: { $reason }
## cli/walk.rs, cli/prompt.rs, the walk's access-key preview in issue.rs (walk12)
walk-needs-terminal = walk needs a terminal; without one use `labnote next`, `labnote done LAB STEP` and `labnote run LAB STEP --yes`
walk-all-done = every lab of the course is done
walk-lab-complete = 🎉 lab { $lab } { $title } is complete.
walk-lab-end = end of lab { $lab } { $title }: { $open } of { $steps } steps still open; `labnote walk { $lab }` resumes at the first one.
walk-continue = Continue with { $lab } { $title }? [Y/n]
walk-bar-lab = lab
walk-bar-course = course
walk-done-mark = (done)
walk-menu-done = [d]one
walk-menu-run = [r]un
walk-menu-memo = [m]emo
walk-menu-copy = [c]opy
walk-menu-expand = [e]xpand
walk-menu-fold = [e] fold
walk-menu-image = [o]pen image
walk-menu-csv = [x] .csv
walk-menu-skip = [s]kip
walk-menu-back = [b]ack
walk-menu-quit = [q]uit
walk-choose-one = choose one of: { $menu }
walk-values-head = values of step { $step }:
walk-value-secret = •••• (secret)
walk-value-missing = (not noted)
walk-paste-cell = table cell, filled:
walk-paste-line = line, filled:
walk-paste-block = whole block, filled:
walk-copy-which = copy which? (number, empty to cancel) >
walk-copy-missing = «{ $name }» is not noted yet; note it with [m]emo or `labnote memo set LAB KEY VALUE`
walk-copied = copied «{ $name }» to: { $to } (not shown)
walk-images-head = images of step { $step }:
walk-image-state-missing = missing
walk-image-which = open which? (number, empty to cancel) >
walk-image-missing = image { $path } is missing: { $file } does not exist
walk-image-remote = image { $url } is on the web; labnote does not open a lab's links
walk-image-refused = image { $path } is outside the course folder or not an image file; not opened
walk-image-no-viewer = no image viewer: { $viewer } is not installed; open { $file } yourself
walk-image-viewer-failed = { $viewer } could not open { $file } (exit code { $code }); open it yourself
walk-image-opened = opened { $file } with { $viewer }
walk-csv-hint = ⬇ labnote can write this access key's .csv file for you: [x]
walk-csv-path = write the .csv to [{ $default }] (empty: there, q: cancel) >
walk-key-done = step { $step } is done: lab { $lab } holds access key { $key }; `{ $cmd }` issues a new one
walk-key-preview-head = This creates a real access key in AWS:
walk-key-preview-user = IAM user  { $user }
walk-key-preview-account = account   { $account } (signed in as { $arn })
walk-key-preview-keys = its keys  { $keys }
walk-key-preview-none = none
walk-key-preview-retire = retires   { $key } (deactivated, then deleted: its secret stops working)
walk-key-preview-no-retire = retires   nothing
walk-key-confirm = Create the key? [y/N]
issue-preview-declined = stopped: no access key was created for { $user } and none was retired
walk-memo-empty = empty
walk-memo-noted-state = noted
walk-memo-which = which entry? (number, empty to cancel) >
walk-memo-hidden = { $key } (hidden):
walk-memo-noted = noted '{ $key }'
walk-memo-unchanged = '{ $key }' already holds that value
walk-read-failed = cannot read the value: { $error }
## render.rs, view.rs (issue 12): what a code block on screen is, from blocks::classify
render-code-runs = runs
render-code-example = example output (not run)
render-code-not-shell = not a shell block
render-code-alternative = 참고: asked before it runs
render-code-outside = outside every step (not run)
## session.rs, and the shell checks of cli/run.rs (`--shell`, a block's own shell)
session-restarted = the { $shell } shell of this session ended; a new one starts in { $dir }
session-bad-variable = variable { $name }: not a valid shell variable name or value
session-nul-byte = the block contains a NUL byte
session-cannot-start = cannot start { $program }: { $reason }
run-shell-unknown = --shell { $given }: not a shell labnote runs blocks in; pass --shell bash, --shell sh or --shell zsh (a name or a path)
run-shell-fish = --shell { $given }: fish is not supported (labnote cannot stop a fish block at its first failing command); pass --shell bash, --shell sh or --shell zsh
run-shell-missing = --shell { $given }: no executable { $program } found (on PATH, or at that path); install it, or pass --shell bash
# A block run cannot run: `why` is fish (labnote does not run fish blocks) or missing
# (its shell is not installed).
run-shell-block-refused = { $why ->
        [fish] { $file }:{ $line }: block { $block } of step { $step } is a `fish` block, which labnote does not run (it cannot stop a fish block at its first failing command, so a failure would pass the step); nothing was run: run the step yourself in fish and mark it with `labnote done { $lab } { $step }`
       *[missing] { $file }:{ $line }: block { $block } of step { $step } is a `{ $lang }` block, but { $program } is not installed (not found on PATH); nothing was run: install { $program }, or run the block yourself and mark the step with `labnote done { $lab } { $step }`
    }
## app/ (the application layer), memo.rs, cli/memo.rs, web/, labfile.rs (stale edit): issue 10
app-memo-refused = lab { $lab }: { $reason }
app-no-entry = lab { $lab } has no memo entry '{ $key }'; its entries are: { $entries }
app-entry-of-the-lab = '{ $key }' is the lab { $lab }'s own memo entry, not one labnote added; it stays (`labnote memo unset { $lab } "{ $key }"` empties it)
memo-removed = removed '{ $key }' from { $lab }
app-no-memo-block = (none: the lab has no memo block)
app-entry-empty = '{ $key }' in lab { $lab } is empty; note it with `labnote memo set { $lab } "{ $key }" VALUE`
app-not-held = no lab of the course holds a value for '{ $key }'
app-encrypted-meanwhile = '{ $key }' in lab { $lab } was encrypted meanwhile; run the command again
app-bad-value = lab { $lab }, key '{ $key }': { $reason }
app-no-key-entries = lab { $lab } has no access-key memo entries
app-no-key-noted = lab { $lab } has no access key noted yet; run `labnote issue-key { $lab }` or note both values with `labnote memo set`
app-no-key-in-course = no lab of the course holds an access key yet; run `labnote issue-key LAB` first
app-not-an-iam-user = you are not signed in as an IAM user: set iam_user for lab { $lab } in course.yaml
app-no-placeholder = lab { $lab } has no placeholder <<{ $name }>>
app-not-noted = <<{ $name }>> is not noted yet
memo-identity-created = created { $path } (mode 0600)
memo-identity-exists = { $path } already exists; it was left as it is
memo-no-entries = no memo entries
memo-plaintext-secret = plaintext! run `labnote memo seal` to encrypt it
memo-stdin-unreadable = cannot read the value from stdin (it must be UTF-8 text): { $reason }
memo-stdin-empty = stdin is empty: no value for '{ $key }' was read; to empty it, use `labnote memo unset`
memo-no-value = no value given for '{ $key }'; pass VALUE, or `-` to read it from stdin
memo-cannot-read = cannot read the value: { $reason }
memo-secret-on-command-line = tip: a secret given on the command line stays in your shell history and is visible to other processes while labnote runs; omit VALUE to be prompted, or pass `-` to read it from stdin
memo-noted = noted '{ $key }' in { $lab } ({ $path })
memo-same-value = '{ $key }' in { $lab } already holds that value; the file was not touched
memo-unknown-name = '{ $name }' is no value of this course; close to it: { $close }. Give one of those names, or add --new to note '{ $name }' as a new value
memo-unknown-name-close = '{ $name }' is no value of this course; close to it: { $close }
memo-unknown-name-ask = Note '{ $name }' as a new value?
memo-unknown-name-kept = nothing noted; give one of the close names (or --new)
memo-emptied = emptied '{ $key }' in { $lab }
memo-already-empty = '{ $key }' in { $lab } is already empty
memo-value-from = '{ $key }' from lab { $lab } ({ $path })
memo-sealed = encrypted '{ $key }' in { $lab }
memo-nothing-to-seal = no plaintext secrets found
web-worker-failed = the request's worker failed
web-issue-thread-failed = the issuance thread failed
web-no-lab = no lab '{ $lab }' in this course
web-name-a-value = name the placeholder (name) or the memo key (key)
web-name-a-block = name the code block (block)
web-no-block = lab { $lab } has no code block { $block }
web-no-cell = lab { $lab } has no table cell { $cell } holding a value
memo-one-line = a memo value must be one line; '{ $key }' was given a value with a line break
memo-looks-encrypted = a plain memo value cannot start with 'age:' (that marks an encrypted value); use --secret to store '{ $key }' encrypted
memo-bad-key = a memo key cannot be empty or contain '<', '>' or a line break: '{ $key }'
memo-empty = no value given for '{ $key }' (nothing was changed); to empty the entry use `labnote memo unset { $lab } "{ $key }"`
memo-key-twice = the memo key '{ $key }' is written twice (lines { $first } and { $second }), so labnote cannot tell which entry holds its value; delete one of the two lines and run the command again (nothing was changed)
labfile-stale = { $path } changed on disk since labnote showed it (an editor saving?); nothing was written — look at the lab again and repeat the change
## textsafe: control characters from a lab shown as text (lab.rs, cli/run.rs confirmation)
textsafe-lab-names = { $path }:{ $line }: the lab holds control characters (an escape sequence?) in a title, memo key, placeholder or note point (lines { $lines }); labnote shows them as text (^[ for ESC, ^M for CR): remove them from the lab
textsafe-run-hidden = { $file }:{ $line }: block { $block } of step { $step } holds { $what }, which can hide part of the command on the terminal, so the block shown would not be the block run; nothing was run: remove it from that line of the lab
textsafe-esc = an ESC character (^[)
textsafe-cr = a carriage return (^M) in mid-line

## wfix: the prompts of cli/blocks.rs and cli/keys.rs (through cli::prompt)
blocks-alternative-ask = Run this alternative too? [y/N]{" "}
blocks-start-there = the last run ended in { $dir }; start there? [Y/n]{" "}
keys-retire-ask = Retire { $key }? [y/N]{" "}
## jsafe (review 3,4,5,7,9,10b): session.rs line cap, run --note keyring
session-line-cut = … ({ $bytes } more bytes of this line not shown)

# labnote serve: why the server could not start.
serve-runtime = cannot start the async runtime: { $reason }
serve-bind = cannot listen on { $addr }: { $reason }; pass another --port (0 for any free port)
serve-no-free-port = ports { $from }..{ $to } on { $ip } are all in use; pass --port N (0 for any free port)
serve-random = cannot make a random token: { $reason }
serve-server = server error: { $reason }

# import-csv: the console's access-key .csv
csv-stray-quote = a quote inside an unquoted field; fix: download the .csv again from the IAM console (do not edit it)
csv-open-quote = a quoted field is never closed; fix: download the .csv again from the IAM console
csv-not-utf8 = the file is not UTF-8 text; fix: give the .csv the console downloaded (Download .csv file)
csv-empty = the file is empty; fix: give the .csv the console downloaded (Download .csv file)
csv-bad-header = the header is not the console's (`Access key ID,Secret access key`, or `User name,Password,Access key ID,Secret access key,Console login link`); fix: give the access-key .csv, not another file
csv-no-row = no key row after the header; fix: download the .csv again on the screen that shows the new key
csv-two-rows = a second key row; the file must hold exactly one key; fix: keep one row, or download the key's own .csv
csv-columns = { $found } fields where the header has { $want }; fix: download the .csv again from the IAM console
csv-bad-key-id = `{ $id }` is not an access key id (AKIA and 16 capitals or digits); fix: give the console's access-key .csv
csv-bad-secret = the secret access key is { $len } characters, not 40 of A-Z a-z 0-9 / +; fix: download the .csv again (the secret cannot be seen again: make a new key if it is lost)
csv-is-dir = it is a directory; fix: give the path of the .csv file inside it
csv-not-regular = it is not a regular file (a FIFO or a device); fix: give the downloaded .csv file
csv-too-big = it is { $size } bytes, over 64 KiB: not a console key file; fix: give the access-key .csv
csv-bad-file = { $file }, line { $line }: { $reason }
csv-file = { $file }: { $reason }
csv-read-back = the key was written to lab { $lab } but did not read back the same; nothing was removed; check the lab's memo with `labnote memo list --lab { $lab }`
csv-saved = saved in  { $path } — memo «{ $id_key }» and «{ $secret_key }» (age-encrypted): { $key_id } ••••
csv-removed = removed   { $file }
csv-account = account   { $account }
csv-user = user      { $user } ({ $arn })
csv-other-user = this key is of `{ $user }`, but lab { $lab } is for `{ $expected }`; the later labs sign as `{ $user }`
csv-check-failed = the key is saved, but AWS STS did not accept it yet: { $reason } (a new key can take a few seconds; try `labnote exec { $lab } -- aws sts get-caller-identity`)
csv-drop = Drop the downloaded .csv here, or choose it
csv-import = Import
csv-imported = Imported access key { $key_id } ••••
awserr-cloud9 = these are Cloud9's AWS managed temporary credentials, which IAM refuses; either turn them off (Cloud9 ▸ Preferences ▸ AWS Settings ▸ AWS managed temporary credentials) and run `aws login`, or create the key in the IAM console, download its .csv and run `labnote import-csv FILE`
awserr-src-env = environment (AWS_ACCESS_KEY_ID)
awserr-src-login = login session (`aws login`, profile { $profile })
awserr-src-sso = SSO (profile { $profile })
awserr-src-process = credential_process (profile { $profile })
awserr-src-static = static key (profile { $profile })
awserr-src-role = assumed role (profile { $profile })
awserr-src-none = instance or container role, if any
walk-menu-import-csv = [i] import .csv
walk-import-csv-hint = ⬆ or give labnote the .csv the console downloaded, to note this key (secret encrypted): [i]
walk-import-csv-path = read the .csv from [{ $default }] (empty: there, q: cancel) >
help-import-csv = Read the access-key CSV the IAM console downloads (either format) into the access-key lab's memo, the secret age-encrypted, then check the key with AWS STS.
help-import-csv-file = The .csv the IAM console downloaded (USER_accessKeys.csv or credentials.csv).
help-import-csv-lab = The lab (default: the lab whose step downloads the key's .csv).
help-import-csv-remove = Delete the .csv once the encrypted secret is written and read back.
help-import-csv-profile = AWS profile for the STS check's region and endpoint (the key itself signs).
help-import-csv-region = AWS region (default: configured, else us-east-1).
help-import-csv-endpoint_url = STS endpoint, e.g. a local server (AWS_ENDPOINT_URL is honoured too).
## labnote lint
help-lint = Check the course for its authors: placeholders nothing asks to note, note points nobody uses, example output in command blocks, broken fences, missing files, dead table-of-contents entries, memo keys written twice, plaintext credentials, mixed line endings, repeated step numbers.
help-lint-paths = Report only on these labs (an id, a path or a stem) or folders of labs; the whole course is still read.
help-lint-format = Output format: text (as rustc prints), json (one object per finding), sarif (SARIF 2.1.0, for code scanning) or github (workflow commands).
help-lint-deny = Treat warnings as errors: exit 1 when there is any (`--deny warnings`).
lint-rule-ln001 = a placeholder is used with no note point, memo entry or source before it
lint-rule-ln002 = the course asks to note a value that no later step uses
lint-rule-ln003 = a placeholder is spelled like no other name of the course but close to one
lint-rule-ln004 = a block that `labnote run` runs holds example output
lint-rule-ln005 = a code fence is closed by two backticks or never closed
lint-rule-ln006 = an image or a relative link points to a file the course does not have
lint-rule-ln007 = a table-of-contents entry points to no heading
lint-rule-ln008 = a memo key is written twice in one lab
lint-rule-ln009 = a lab holds a plaintext credential
lint-rule-ln010 = a file mixes CRLF and LF line endings
lint-rule-ln011 = a step number repeats in a lab
lint-ln001 = `<<{ $name }>>` is used, but nothing before it asks to note it: no note point, memo entry or source
lint-ln001-help = add a memo entry `➕ _<<{ $name }>>_ :` or a sentence "… { $name }을 메모합니다" before this step, or map the name to a memo key under `aliases:` in course.yaml
lint-ln001-later = `<<{ $name }>>` is used before lab { $lab }, whose memo block holds it
lint-ln001-later-help = move the memo entry to a lab before this one, or ask to note `{ $name }` before it is used
lint-ln002 = the course asks to note "{ $name }" here, but no later step uses it
lint-ln002-help = write `<<{ $name }>>` where the value is needed, or drop the request to note it
lint-ln003 = `<<{ $name }>>` matches no other spelling in the course but is close to `<<{ $near }>>`
lint-ln003-help = did you mean `<<{ $near }>>`?
lint-ln004 = `labnote run` runs this `{ $lang }` block (line { $line }), but this line reads like a terminal transcript with its output
lint-ln004-help = put the output in a block of its own after a line such as `- 결과 예시`, or start the block with the prompt line
lint-ln005-open = this code fence is never closed: the rest of the file is code
lint-ln005-two = a line of two backticks does not close the code fence opened at line { $line }
lint-ln005-help = close the fence with ``` (three backticks) on a line of its own
lint-ln006-image = image `{ $dest }` does not exist in the course
lint-ln006-outside = image `{ $dest }` is outside the course folder (or is no image): labnote does not show it
lint-ln006-link = link target `{ $dest }` does not exist in the course
lint-ln006-help = add the file, or fix the path (relative to { $dir })
lint-ln007 = table-of-contents entry `{ $anchor }` points to no heading
lint-ln007-help = make the anchor match a heading's title, or remove the entry
lint-ln008 = memo key `{ $key }` is written twice in this lab
lint-ln008-help = keep one entry: labnote refuses to note a value under a key written twice
lint-ln009 = a plaintext { $what } is written in the lab
lint-ln009-help = remove it and revoke it; a student notes a secret with `labnote memo set --secret`, which stores it encrypted
lint-ln010 = this file mixes line endings: { $crlf } lines end with CRLF and { $lf } with LF
lint-ln010-help = convert the file to one line ending (labnote keeps whichever a file has)
lint-ln011 = step number `{ $number }` repeats in this lab: labnote calls this step `{ $id }`
lint-ln011-help = renumber the step, or address it as `{ $id }` (`labnote done`, `run`)
lint-label-noted-here = noted here
lint-label-near = spelled so here
lint-label-runs = runs: { $reason }
lint-label-fence-open = the fence opens here
lint-label-first-entry = first written here
lint-label-first-step = first numbered here
lint-summary = { $errors } errors, { $warnings } warnings, { $notes } notes in { $labs } labs
lint-github-summary = labnote lint: { $errors } errors, { $warnings } warnings, { $notes } notes (GitHub shows only the first 10 annotations of each kind)
lint-failed = lint found { $errors } errors and { $warnings } warnings
## issue 20 (H8): the access-key CSV outside the course
app-csv-in-course = refusing to write the plaintext access key to { $path }: it is inside the course folder { $course }, one `git add .` away from publishing the secret; write it outside (without --out it goes to your Downloads folder, else your home folder), or pass --force to write it there anyway
app-csv-in-git = refusing to write the plaintext access key to { $path }: it is inside the git work tree { $tree }, one `git add .` away from publishing the secret; write it outside (without --out it goes to your Downloads folder, else your home folder), or pass --force to write it there anyway
keys-csv-written = wrote { $path } (mode 0600) with access key { $id } of lab { $lab }

## issue 20 (H8): messages of ours that were printed in English only
wanted-all-noted = every value the course asks for is noted
wanted-also-written = also written { $names }
wanted-asked-in = asked in { $at }: { $text }
wanted-asked-in-memo = asked in the memo block of { $lab }
wanted-never-asked = never asked to be noted (given by the instructor, or yours)
wanted-used-in = used in { $uses }
wanted-note-it = note it: { $cmd } VALUE   (or `-` for stdin)
wanted-note-it-secret = note it: { $cmd }  (prompted without echo)
wanted-points-generic = (the output shown)
serve-exposed = listening on { $addr }, which is not a loopback address: others on the network can reach the server (they still need the token)
serve-started = labnote serve: open the URL above; Ctrl-C stops the server
blocks-none = step { $step } has no code blocks
blocks-at = step { $step } line { $line }
blocks-no-language = no language
blocks-alternative = this block is an alternative: { $reason }
blocks-alternative-skipped-no-terminal = skipped (an alternative; run it on a terminal to choose it)
blocks-alternative-skipped = skipped (an alternative)
blocks-why-bare-not-command = a bare block that does not start with a command
blocks-why-not-shell = `{ $lang }` is not a shell language
blocks-why-after-line = , after the line `{ $line }`
blocks-why-shown = { $why }{ $after }: shown, not run
blocks-why-example-output = it follows the line `{ $line }` (example output): shown, not run
blocks-why-shows-what-appears = it follows the line `{ $line }`, which shows what appears: shown, not run
blocks-why-reference-line = it follows the line `{ $line }`, marked 참고 (for reference): run only if you choose to
blocks-why-reference-details = it is inside `<details>` «{ $summary }», marked 참고 (for reference): run only if you choose to
blocks-why-bare-run = a bare block that starts with a command: commands to run
blocks-why-run = a `{ $lang }` block: commands to run
blocks-why-prompt = its first line is a shell prompt `{ $prompt }` (a transcript with { $n } output { $n ->
    [one] line
   *[other] lines
})
blocks-why-dollar-prompt = its first line is a shell prompt `$` followed by { $n } output { $n ->
    [one] line
   *[other] lines
} (a transcript)
blocks-why-table-header = its first line `{ $line }` is the header of a command's table output
copy-no-name = copy: name a memo key or placeholder, e.g. `labnote copy "<<github_token>>"`
copy-closest = {" "}(closest memo key: «{ $key }»)
copy-not-noted = copy { $arg }: no value is noted for «{ $name }»{ $hint }; note it with `labnote memo set LAB KEY VALUE`
copy-copied = copied the value { $origin } to: { $places }
copy-copied-secret = copied the secret value { $origin } to: { $places }
copy-origin-memo = «{ $key }» of lab { $lab }
copy-origin-computed = computed by labnote
copy-no-clipboard = copy { $arg }: no clipboard to copy to (no terminal, no tmux, no wl-copy/xclip/xsel); `labnote memo get "{ $name }"` prints it
clipboard-tmux-and-terminal = tmux buffer (and the terminal's clipboard, as tmux's set-clipboard allows)
clipboard-tmux = tmux buffer
clipboard-osc52 = terminal clipboard (OSC 52)
clipboard-desktop = desktop clipboard ({ $tool })
keys-already-holds = lab { $lab } already holds access key { $key } of { $user }, and it is active: nothing changed (use --rotate for a new one)
keys-issued-user = user      { $user }
keys-issued-key = new key   { $key }
keys-issued-retired = retired   { $keys } (deleted from IAM)
keys-issued-saved = saved in  { $path } — memo «{ $id_key }» and «{ $secret_key }» (age-encrypted)
keys-issued-read = read it with `{ $cmd }`
walk-key-real = ⚠ `r` creates a real access key in AWS for the IAM user { $user }, in the account these credentials reach ({ $context }); it shows the account and the caller and asks before creating anything.
walk-key-real-signed-in = you are signed in as
iam-no-credentials = no AWS credentials found. Sign in with `aws login` (no key needed), or import a key made in the IAM console with `labnote import-csv FILE`; with a key you already have, `aws configure` (or `aws configure sso` and `aws sso login`); choose a profile with AWS_PROFILE or --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; to practise against a local server (e.g. moto) pass --endpoint-url instead
iam-credentials-config = could not load AWS credentials: { $reason }. Check ~/.aws/config and ~/.aws/credentials (`aws configure list` shows what is used) and the profile name
iam-expired-token = your AWS session has expired: log in again (`aws sso login`, with --profile if you use one) or get fresh temporary credentials, then retry
iam-invalid-credentials = AWS rejected the credentials ({ $code }: { $message }). The access key may be deleted or inactive, or the secret mistyped: run `aws configure` with a valid key (and check that the computer's clock is correct)
iam-access-denied = access denied for { $action }. The IAM identity you use needs these permissions: { $actions }. Ask whoever manages the account to grant them, or use a profile that has them (--profile)
iam-no-such-user = IAM user `{ $user }` does not exist in this AWS account. Create it first (see the lab step), or check that you use the right account/profile (`aws sts get-caller-identity`)
iam-no-such-key = access key { $key_id } of IAM user `{ $user }` no longer exists (it may have been deleted meanwhile). List the keys again and retry
iam-limit-exceeded = IAM user `{ $user }` already has the maximum of 2 access keys (inactive keys count too). Retire one first (choose it with --retire KEY_ID); if you just saw fewer than 2, another key was probably being created at the same time: run the step again
iam-throttled = AWS is throttling requests (rate exceeded) even after { $attempts } attempts: wait a minute and try again
iam-service = AWS returned an error: { $code }: { $message }. If this is a server-side failure (5xx, already tried { $attempts } times), try again in a few minutes
iam-connect = could not connect to { $endpoint }: { $cause }. Check your network connection; if you passed --endpoint-url, check that the server is running there
iam-timeout = timed out while { $what }. Check your network connection (or the --endpoint-url server) and try again
iam-invalid-endpoint = invalid endpoint URL `{ $url }`: { $reason }. Use the form http://HOST:PORT or https://HOST (for example --endpoint-url http://127.0.0.1:5000)
iam-invalid-description = invalid access key description: { $reason }. Use at most 256 letters, digits, spaces and _ . : / = + - @
iam-no-retirable-key = the user already has 2 access keys and neither can be retired automatically: { $reason }. Choose the key to retire yourself with `--retire KEY_ID` (keys: { $keys })
iam-unknown-retire-key = --retire { $key_id }: not one of the user's access keys (they are: { $keys })
keys-retire-needs-terminal = retiring a key needs your confirmation: run on a terminal, or pass --yes
serve-no-browser = labnote: warning: cannot open a browser: { $reason }
serve-no-opener = labnote: warning: cannot run { $opener }: { $reason }; open the URL by hand

## class
class-bad-name = class name `{ $name }`: use 1 to 64 letters, digits, `-` or `_`, starting with a letter or digit (for example --as kim-minsu)
class-bad-url = class repository URL `{ $url }`: { $reason }. Use https://HOST/OWNER/REPO.git, ssh://…, user@host:path or file:///PATH
class-not-joined = the course { $course } has joined no class: run `labnote class join URL --as NAME` first
class-bad-settings = { $path }: { $reason }. Join again with `labnote class join URL --as NAME`, or remove the file with `labnote class leave`
class-no-git = `git` was not found on PATH: install git (labnote pushes with the system git)
class-git-failed = the class repository could not be reached or updated: { $reason }. Check the URL, your network and your git credentials, then run `labnote class push` again
class-joined = this course now reports its progress to { $url } as { $name } (only lab ids, titles, step ids done, run outcomes and times: `labnote class preview` shows it)
class-left = this course no longer reports to { $url }
class-was-not-joined = this course had joined no class
class-pushed = progress sent to the class
class-unchanged = the class already has this progress
class-bad-stuck-after = --stuck-after: give a number of minutes, 0 or more
class-no-students = no student has reported to this class yet (no labnote/* branch)
class-col-student = STUDENT
class-col-labs = LABS
class-col-done = DONE
class-col-current = CURRENT
class-col-idle = IDLE
class-col-marks = MARKS
class-mark-stuck = STUCK
class-mark-failing = FAILING
class-invalid = INVALID: { $reason }
class-legend = labs: { $labs } (█ done, ▒ begun, · not begun)
class-web-title = The class
class-web-fetching = fetching the class…
class-web-fetched = fetched at { $time }; fetched again every 20 s
class-web-minutes = { $minutes } min
