# Sourced by the benchmarks that run against moto (benches/issue_key.sh, benches/fetch.sh), from
# the repository root: builds labnote (release) into $bin, starts moto on a free loopback port
# (scripts/moto.sh), makes $work (removed at exit, moto stopped then) and an AWS environment
# that reaches moto only: keys "testing", region ${region:-us-east-1}, no instance metadata,
# AWS config files and XDG_CONFIG_HOME inside $work.
cargo build --release --quiet --bin labnote
scripts/venv.sh
source scripts/moto.sh
bin="$PWD/target/release/labnote"
work=$(mktemp -d); trap 'rm -rf "$work"; kill $MOTO_PID 2>/dev/null' EXIT
export AWS_ENDPOINT_URL="$LABNOTE_MOTO_URL" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_DEFAULT_REGION=${region:-us-east-1} AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
export XDG_CONFIG_HOME="$work/config"
touch "$AWS_CONFIG_FILE" "$AWS_SHARED_CREDENTIALS_FILE"
