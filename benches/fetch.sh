#!/usr/bin/env bash
# Issue 23 benchmark: `labnote fetch` of every AWS-sourced value of the sources fixture's lab
# 4-1 (a running instance's public IP, two Elastic IP allocation ids, an ACM ARN, an EFS id,
# an EKS cluster's endpoint and CA data: read, shown, nothing noted), against moto on
# loopback, next to the student's alternative in the same run: the same reads as `aws` CLI
# calls one after another (awscli from PyPI). Goal: fetch >= 10x faster.
set -euo pipefail
cd "$(dirname "$0")/.."
region=sa-east-1
source benches/moto_env.sh
export HOME="$work/home" KUBECONFIG="$work/none"
mkdir -p "$HOME"
.venv/bin/python scripts/moto_sources.py "$LABNOTE_MOTO_URL" $region 1 >/dev/null
cp -R tests/fixtures/sources "$work/course"
names=("메모한 Public IP" "Elastic IP Allocation ID 1" "Elastic IP Allocation ID 2" "메모한 인증서의 ARN"
       "메모한 EFS 파일 시스템 ID" "메모한 Cluster Server URL" "메모한 certificate-authority-data")
# What fetch finds (a check that every value is read, not timed).
"$bin" --course "$work/course" fetch 4-1 "${names[@]}" --json | python3 -c '
import json, sys
v = json.load(sys.stdin)
print("fetch reads:", [(f["kind"], f["outcome"]) for f in v])
assert len(v) == 7 and all(f["outcome"] in ("one", "numbered") for f in v), v'
q() { printf "'%s' " "$@"; }
cat > "$work/aws.sh" <<SH
#!/bin/sh
set -e
aws=$PWD/.venv/bin/aws
\$aws ec2 describe-instances --filters Name=instance-state-name,Values=running --query 'Reservations[].Instances[].PublicIpAddress' --output text
\$aws ec2 describe-addresses --query 'Addresses[].AllocationId' --output text
\$aws acm list-certificates --certificate-statuses ISSUED --query 'CertificateSummaryList[].CertificateArn' --output text
\$aws efs describe-file-systems --query 'FileSystems[].FileSystemId' --output text
\$aws eks list-clusters --query 'clusters[]' --output text
\$aws eks describe-cluster --name service-cluster --query 'cluster.[endpoint,certificateAuthority.data]' --output text
SH
chmod +x "$work/aws.sh"
"$work/aws.sh" >/dev/null
hyperfine --export-json "$work/run1.json" --warmup 2 --runs 15 -N \
  -n 'labnote fetch (7 values)' "$bin --course $work/course fetch 4-1 $(q "${names[@]}") --json" \
  -n 'aws CLI, 6 calls one after another' "$work/aws.sh"
python3 benches/medians.py "$work"/run*.json
