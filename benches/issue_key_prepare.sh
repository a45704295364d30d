#!/usr/bin/env bash
# Helper of issue_key.sh: reset the IAM server, create the user, and (with an argument) lay a
# fresh copy of the course.
set -eu
python3 -c "import urllib.request as u; u.urlopen(u.Request('$LABNOTE_MOTO_URL/moto-api/reset', method='POST'))"
"$VENV_AWS" iam create-user --user-name mspuser >/dev/null
if [ $# -gt 0 ]; then rm -rf "$1/course" && cp -R "$1/orig" "$1/course"; fi
