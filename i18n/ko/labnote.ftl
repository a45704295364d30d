# labnote의 한국어 메시지. 여기의 모든 키는 i18n/en/labnote.ftl 에도 있어야 합니다
# (`cargo test --lib i18n` 이 확인합니다). id, 경로, 명령은 번역하지 않습니다.

## course.rs
course-no-folder = 코스 폴더 { $path } 이(가) 없거나 폴더가 아닙니다. --course DIR 을 주거나 LABNOTE_COURSE 를 설정하세요
course-unknown-lab = '{ $arg }' 에 해당하는 실습이 없습니다
course-ambiguous-lab = '{ $arg }' 에 해당하는 실습이 여러 개입니다. 다음 중 하나를 지정하세요: { $labs }
course-no-labs = . 이 코스에는 실습(단계 제목이 있는 마크다운 파일)이 없습니다
course-labs-are = . 실습 목록: { $labs }
course-linked-folder = 폴더를 가리키는 링크입니다: labnote 는 링크를 따라가지 않으므로(과정 밖으로 이어질 수 있습니다) 그 안의 실습을 읽지 않습니다. 링크 대신 폴더를 과정 안에 복사하세요

## cli/progress.rs
progress-no-labs = { $path } 에 실습이 없습니다(실습은 단계 제목이 있는 마크다운 파일입니다). --course DIR 을 지정하세요
progress-labs-summary = 실습 { $labs }개, 단계 { $steps }개 중 { $done }개 완료
progress-no-step = 실습 { $lab } ({ $path }) 에 '{ $arg }' 단계가 없습니다. 단계 목록: { $steps }
progress-step-number-ambiguous = 단계 번호 '{ $arg }' 은(는) 실습 { $lab } 의 여러 단계에 쓰였습니다. id로 하나를 지정하세요: { $steps }
progress-steps-done = { $steps }개 중 { $done }개 완료
progress-edited-since-checked = (완료 표시 후 수정됨)
progress-orphan-step = 완료로 기록되었지만 실습에 더 이상 이 단계가 없습니다
progress-twin-step = 참고: '{ $arg }' 는 { $arg } 단계({ $title })입니다. 같은 번호가 { $twins } 에도 쓰였으니, 그 단계는 해당 id로 지정하세요
progress-already-done = (이미 완료)
progress-already-open = (이미 미완료)
progress-all-done = 모든 단계를 완료했습니다

## cli/help.rs: 도움말
help-usage = 사용법:
help-options = 옵션
help-arguments = 인수
help-commands = 명령
help-labnote-after = 종료 코드: 0 성공, 1 사용자 오류(알 수 없는 옵션이나 빠진 인수 같은 사용법 오류, 없는 실습이나 단계), 2 데이터 오류(읽을 수 없거나 잘못된 파일, 실패한 서비스 호출).
help-labnote = 실습 코스를 따라갑니다: 단계와 진행 상황, 메모 값(비밀 값은 age로 암호화), AWS 액세스 키, 각 단계의 명령.
help-arg-course = 코스 폴더(그 아래의 마크다운 파일이 실습입니다).
help-arg-quiet = 조용히: 안내, 진행 표시, 요약 없이 오류, 경고, 요청한 출력(목록, 값, JSON)만 표시합니다.
help-arg-verbose = 메시지를 더 자세히 표시합니다(값을 가져온 실습, 수행한 작업).
help-arg-identity = 복호화에 쓸 age identity(기본값: LABNOTE_IDENTITY, 없으면 $XDG_CONFIG_HOME/labnote/identity.txt). 암호로 보호된 파일이면 암호를 묻습니다.
help-arg-help = 도움말을 표시합니다
help-arg-version = 버전을 표시합니다
help-arg-json = 텍스트 대신 JSON으로 출력합니다(필드 이름은 바뀌지 않습니다).
help-arg-lab = 실습: 짧은 id(`2-4`), 파일 경로 또는 파일 이름(확장자 제외).
help-arg-some-lab = 이 실습만(기본값: 코스 전체).
help-arg-key-lab = 키가 있는 실습(기본값: 코스에 가장 최근에 기록된 키 쌍).
help-arg-key = 메모 키, 예: "AWS Secret Access key"(<< >> 안의 대소문자와 공백은 무시합니다).
help-labs = 코스의 모든 실습과 진행 상황을 표시합니다.
help-steps = 실습의 단계 트리를 완료 표시와 함께 표시합니다.
help-done = 단계를 완료로 표시합니다(섹션을 지정하면 그 아래 모든 단계).
help-done-steps = 단계 id(`2-2`, 번호가 반복되면 `2-2.2`) 또는 하나로 정해지는 번호.
help-undo = 단계의 완료 표시를 지웁니다.
help-undo-steps = 완료 표시를 지울 단계 id(`done`과 같은 형식).
help-next = 아직 완료하지 않은 다음 단계를 표시합니다.
help-next-lab = 이 실습으로 한정합니다(기본값: 마지막으로 작업한 실습, 없으면 끝나지 않은 첫 실습).
help-log = 실행한 단계의 기록을 오래된 것부터 표시합니다.
help-init = age identity(X25519, age-keygen 형식, 권한 0600)를 만들고 공개 키를 출력합니다.
help-memo = 실습의 메모 값(비밀 값은 실습 파일 안에 age로 암호화)을 다룹니다.
help-memo-list = 한 실습 또는 코스 전체의 메모 항목을 표시합니다(비밀 값은 표시하지 않습니다).
help-memo-set = 값을 기록합니다. 비밀 값(키 이름, --secret 또는 course.yaml로 정해짐)은 age로 암호화합니다.
help-memo-set-value = 값. `-`이면 stdin 전체를 읽고(마지막 줄바꿈 하나만 뺍니다), 생략하면 터미널에서 화면에 표시하지 않고 묻습니다.
help-memo-set-secret = 키 이름과 관계없이 값을 비밀 값으로 다룹니다.
help-memo-get = 값을(복호화하여) 줄바꿈과 함께 출력합니다.
help-memo-get-lab = 값이 있는 실습(기본값: 코스 어디든 가장 최근에 기록된 값).
help-memo-unset = 항목은 남기고 값을 비웁니다.
help-memo-seal = 직접 평문으로 적은 비밀 값을 암호화합니다.
help-memo-rekey = 모든 비밀 값을 내 identity와 recipients.txt의 키로 다시 암호화합니다(수신자를 추가한 뒤). 실습 파일 하나씩 처리합니다.
help-issue-key = 액세스 키 단계를 수행합니다: 실습의 IAM 사용자에게 AWS 액세스 키를 만들고(이미 2개이면 하나를 폐기) 실습 메모에 저장합니다. 비밀 키는 암호화됩니다.
help-placeholders = 실습의 모든 플레이스홀더와 각 값의 출처를 표시합니다(비밀 값은 표시하지 않습니다).
help-show = 실습(또는 한 단계)을 터미널용으로 표시합니다. --fill 이면 플레이스홀더를 채웁니다.
help-show-step = 이 단계만: id(`2-2`) 또는 하나로 정해지는 번호.
help-show-fill = 플레이스홀더를 기록된 값으로 채웁니다(비밀 값은 ••••로 표시).
help-show-reveal = --fill 과 함께 쓰면 비밀 값도 표시합니다.
help-env = AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY 를 설정하는 export 줄을 출력합니다: `eval "$(labnote env)"`.
help-env-shell = 셸 문법(기본값: $SHELL 에서, 없으면 bash).
help-credential-process = 키 쌍을 AWS credential_process JSON으로 출력합니다(`aws-profile`용).
help-aws-profile = AWS config 파일에 credential_process 가 labnote 인 `[profile NAME]`을 추가하거나 갱신합니다(AWS_CONFIG_FILE 을 따르며, 처음 바꿀 때 백업을 남깁니다).
help-exec = 실습의 키를 환경에 넣고 명령 하나를 실행합니다: `labnote exec -- aws s3 ls`. 명령의 종료 코드로 끝납니다.
help-exec-lab = 키가 있는 실습(기본값: 코스에 가장 최근에 기록된 키 쌍).
help-exec-command = 실행할 명령과 인수.
help-run = 단계의 명령(bash/sh/shell 블록)을 하나씩 확인을 받고 실행합니다. 성공한 단계는 완료로 표시합니다. 액세스 키 단계는 `issue-key`를 실행합니다.
help-walk = 터미널에서 실습을 한 단계씩 따라갑니다: 완료, 실행, 메모, 복사, 펼치기, 이미지 열기, 건너뛰기, 뒤로, 끝내기. 끝나면 다음 실습으로 이어 갑니다.
help-walk-lab = 실습(기본값: 마지막으로 작업한 실습, 없으면 아직 끝나지 않은 첫 실습).
help-walk-user = 액세스 키 단계에 쓸 IAM 사용자.
help-export-csv = 콘솔 형식의 액세스 키 CSV(`Access key ID,Secret access key`)를 권한 0600으로 씁니다.
help-export-csv-out = 쓸 CSV 파일.
help-export-csv-force = 이미 있는 파일을 덮어씁니다.
help-completions = 셸 자동 완성 스크립트를 출력합니다: `labnote completions bash > ~/.local/share/bash-completion/completions/labnote`.
help-completions-shell = 자동 완성을 만들 셸.
help-man = 매뉴얼 페이지(roff)를 출력합니다: `labnote man | man -l -`.
help-wanted = 코스에 아직 필요한 값을 하나씩 표시합니다: 그 값을 뜻하는 플레이스홀더, 쓰이는 곳, 그 값을 메모하라고 하는 단계(또는 메모 블록).
help-wanted-lab = 이 실습이 요구하거나 쓰는 값만.
help-wanted-points = 대신 메모 지점을 나열합니다: 값을 메모하라고 하는 모든 곳과 그곳에서 주는 값 이름(없으면 일반적인 "출력을 메모").
help-copy = 메모 값이나 플레이스홀더를 출력하지 않고 클립보드에 넣습니다(tmux 버퍼, OSC 52 를 통한 터미널 클립보드, 있으면 데스크톱 클립보드).
help-copy-name = 어떤 표기든 됩니다: `"<<발급받은 AWS Secret Access key>>"`, `github_token`, …
help-memo-set-key = 메모 키, 예: "AWS Secret Access key", 또는 값의 어떤 표기든(`<<메모한 Cluster URL>>`): 그 값이 뜻하는 키에 저장됩니다.
help-help = 이 도움말 또는 지정한 하위 명령의 도움말을 표시합니다
help-memo-help = 이 도움말 또는 지정한 하위 명령의 도움말을 표시합니다
help-issue-key-after = 사용하는 AWS 자격 증명에 다음 권한이 필요합니다: iam:ListAccessKeys, iam:CreateAccessKey, iam:UpdateAccessKey, iam:DeleteAccessKey, iam:GetAccessKeyLastUsed, iam:TagUser, sts:GetCallerIdentity.
help-issue-key-user = IAM 사용자(기본값: course.yaml 에 적힌 실습의 iam_user, 없으면 호출한 사용자).
help-issue-key-description = 키의 설명 태그(콘솔의 "설명 태그 설정"과 같습니다).
help-issue-key-retire = 사용자에게 이미 키가 2개일 때 폐기할 키.
help-issue-key-rotate = 메모에 활성 키가 있어도 새 키를 발급하고 이전 키를 폐기합니다.
help-issue-key-yes = 묻지 않고 키를 폐기합니다(터미널이 없으면 필요합니다).
help-issue-key-profile = AWS 프로필(기본값: 표준 순서 — 환경 변수, AWS_PROFILE, default 프로필).
help-issue-key-region = AWS 리전(기본값: 설정된 값, 없으면 us-east-1).
help-run-step = 명령을 실행할 단계: id(`2-2`) 또는 하나로 정해지는 번호.
help-run-yes = 묻지 않고 실행합니다(터미널이 없으면 필요합니다).
help-run-shell = `shell`, `console`, 언어 표시가 없는 블록을 실행할 셸: bash, sh, zsh(이름이나 경로). `bash`, `sh`, `zsh` 블록은 각자의 셸에서 실행됩니다.
help-run-cwd = 작업 폴더(기본값: 코스 폴더).
help-run-user = 액세스 키 단계에 쓸 IAM 사용자.
help-aws-profile-name = 프로필 이름(ASCII 영문자, 숫자와 - _ . @ +), `aws --profile NAME` 에 쓰는 이름.
help-aws-profile-region = 프로필의 리전(기본값: course.yaml 의 `region`).
help-aws-profile-lab = 프로필을 한 실습의 키로 고정합니다(기본값: 코스에 가장 최근에 기록된 키 쌍).
help-aws-profile-replace = credentials 와 config 파일에 있는 같은 프로필의 고정 키를 주석 처리합니다(바뀌는 파일마다 백업을 남깁니다). 그래야 AWS 도구가 labnote 의 키를 씁니다.
help-aws-profile-list = AWS config 파일에서 labnote 로 키를 받는 프로필을 나열합니다.
help-aws-profile-remove = AWS config 파일에서 labnote 프로필 NAME 을 지웁니다.
help-issue-key-endpoint_url = IAM 엔드포인트, 예: 로컬 서버(AWS_ENDPOINT_URL 도 따릅니다).

## secret.rs
secret-no-identity = { $path } 에 age identity가 없습니다. `labnote init` 으로 만들거나, { $env } 를 기존 age identity 또는 암호 없는 SSH 개인 키로 설정하세요
secret-no-home = 새 age identity를 둘 곳이 없습니다: HOME 도 XDG_CONFIG_HOME(절대 경로)도 설정되지 않았고, labnote 는 커밋되거나 잃어버릴 수 있는 현재 폴더에 키를 두지 않습니다. HOME 을 설정하거나 { $env } 를 만들 파일 경로로 설정하세요
secret-insecure-permissions = identity { $path } 에 다른 사용자가 접근할 수 있습니다(권한 { $mode }). `chmod 600 { $path }` 를 실행한 뒤 다시 시도하세요
secret-read-key-file = { $path } 을(를) 읽을 수 없습니다: { $cause }
secret-encrypt = 값을 암호화할 수 없습니다: { $reason }
secret-not-encrypted = 값이 암호화되어 있지 않습니다(`{ $prefix }` 로 시작하지 않습니다)
secret-bad-base64 = 암호화된 값이 올바른 base64가 아닙니다({ $reason }). 복사하거나 직접 고치다가 손상된 것 같습니다
secret-truncated = 암호화된 값이 잘렸습니다. 복사하거나 직접 고치다가 잘린 것 같습니다
secret-corrupt = 암호화된 값이 손상되었습니다: { $reason }
secret-wrong-identity = 가진 identity로는 이 값을 복호화할 수 없습니다: 다른 수신자에게 암호화된 값입니다. 암호화에 쓰인 identity를 --identity FILE 로 주거나 { $env } 를 설정하세요
secret-no-terminal-for-passphrase = identity { $path } 는 암호로 보호되어 있는데 암호를 물을 터미널이 없습니다. 터미널에서 명령을 실행하거나, identity를 한 번 복호화하세요(`age -d -o PLAIN { $path }` 후 `chmod 600 PLAIN`, 그리고 --identity PLAIN)
secret-wrong-passphrase = identity { $path }: 암호가 틀렸습니다(또는 파일이 변경되었습니다)
secret-not-utf8 = 복호화한 값이 UTF-8 텍스트가 아니므로 labnote 가 암호화한 값이 아닙니다

## cli/mod.rs
cli-error = 오류: { $msg }
cli-warning = 경고: { $msg }
cli-skipped = { $path }: 건너뜀: { $why }

## cli/agecmd.rs
agecmd-foreign-ciphertext = 값이 age 암호문이지만 내 identity({ $identity })로는 복호화할 수 없습니다. { $keys } (`labnote init` 이 출력하는 키)로 암호화하거나, 암호화에 쓰인 identity를 --identity 로 주세요
agecmd-bad-ciphertext = 값이 `age:` 로 시작하지만 사용할 수 있는 암호문이 아닙니다: { $reason }
agecmd-cannot-decrypt = 실습 { $lab }, 키 '{ $key }': 값을 복호화할 수 없습니다: { $reason }
agecmd-cannot-encrypt = 실습 { $lab }, 키 '{ $key }': 암호화할 수 없습니다: { $reason }
agecmd-rekey-stopped = 실습 { $lab }, 키 '{ $key }': 값을 복호화할 수 없습니다: { $reason }. 아무것도 다시 암호화하지 않았습니다
agecmd-rekeyed-lab = { $lab } ({ $path }) 의 비밀 값 { $count }개를 다시 암호화했습니다
agecmd-rekeyed-total = 이제 비밀 값 { $count }개가 수신자 키 { $recipients }개로 암호화되어 있습니다: { $keys }

## cli/docs.rs
docs-cannot-render-man = 매뉴얼 페이지를 만들 수 없습니다: { $reason }
docs-cannot-write-stdout = stdout 에 쓸 수 없습니다: { $reason }

## cli/later.rs
later-no-placeholders = 실습 { $lab } 에는 플레이스홀더가 없습니다
later-also-noted-in = (최신 값. { $labs } 에도 기록됨)
later-builtin = 기본 제공: { $value }
later-not-noted = 기록되지 않음
later-not-noted-closest = 기록되지 않음 — 가장 비슷한 메모 키: «{ $key }»
later-exec-no-command = exec: 실행할 명령이 없습니다. 사용법: labnote exec -- CMD [ARG…]
later-exec-cannot-run = exec: { $program } 을(를) 실행할 수 없습니다: { $reason }
later-exec-wait = exec: 명령을 기다리는 중 오류: { $reason }

## cli/awsprofile.rs
awsprofile-no-config-file = AWS config 파일이 없습니다: AWS_CONFIG_FILE 이나 HOME 을 설정하세요
awsprofile-no-credentials-file = AWS credentials 파일이 없습니다: AWS_SHARED_CREDENTIALS_FILE 이나 HOME 을 설정하세요
awsprofile-not-utf8 = { $path }: { $byte } 바이트 위치가 올바른 UTF-8이 아닙니다. 먼저 파일을 고치세요
awsprofile-backup = { $path } 의 백업: { $backup }
awsprofile-too-many-backups = { $path }: .labnote-backup 파일이 너무 많습니다. 오래된 것을 지우세요
awsprofile-no-own-path = labnote 자신의 경로를 찾을 수 없습니다: { $reason }
awsprofile-identity = identity { $path }: { $reason }
awsprofile-static-keys = 프로필 { $name } 에 고정 키도 있습니다({ $lines }). AWS CLI 와 boto3 는 labnote 의 키보다 그 키를 먼저 씁니다. `labnote aws-profile { $name } --replace` 를 실행해 주석 처리하세요(백업을 남깁니다)
awsprofile-commenting-out = 프로필 { $name } 의 고정 키를 주석 처리합니다({ $lines })
awsprofile-no-region = 리전이 없습니다: course.yaml 에 `region: …` 을 추가하거나 --region 을 주세요. 그렇지 않으면 AWS CLI 가 리전을 요구합니다
awsprofile-unchanged = { $path } 의 프로필 { $name } 은(는) 이미 설정되어 있습니다. 바꾼 것이 없습니다
awsprofile-set = 이제 { $path } 의 프로필 { $name } 은(는) labnote 에서 키를 받습니다(credential_process). `aws sts get-caller-identity --profile { $name }` 로 확인하세요
awsprofile-none = { $path } 에 labnote 프로필이 없습니다
awsprofile-no-file = { $path } 이(가) 없습니다
awsprofile-not-ours = { $path } 의 프로필 { $name } 은(는) labnote 프로필이 아닙니다(credential_process 가 labnote 가 아닙니다). 파일을 직접 고치세요
awsprofile-no-such-profile = { $path } 에 프로필 { $name } 이(가) 없습니다. `labnote aws-profile --list` 로 labnote 프로필을 볼 수 있습니다
awsprofile-removed = { $path } 에서 프로필 { $name } 을(를) 지웠습니다

## config.rs
config-read = { $path }: 읽을 수 없습니다: { $reason }
config-invalid = { $path }:{ $line }:{ $column }: { $message }. README 의 course.yaml 절을 참고하세요

## journal.rs
journal-read = { $path }: 기록 파일을 읽을 수 없습니다: { $reason }
journal-encode = 기록 항목을 인코딩할 수 없습니다: { $reason }
journal-torn-tail = { $path }: 마지막 기록이 잘렸습니다(쓰는 중에 중단되었나요?). 잘린 기록은 지우고 { $aside } 에 보관했습니다. 그 앞의 기록은 그대로입니다
journal-bad-lab-id = 실습 id가 비었거나, 너무 길거나, 제어 문자가 있습니다
journal-lab-id-path = 실습 id { $lab } 이(가) 경로처럼 보입니다
journal-bad-step = 단계나 제목이 너무 길거나 제어 문자가 있습니다
journal-bad-fingerprint = fingerprint 가 해시가 아닙니다
journal-bad-event = 이벤트 { $event } 은(는) 이벤트 이름이 아닙니다
journal-bad-time = 시간 { $time } 이(가) RFC 3339 시간이 아닙니다
journal-bad-detail = 세부 항목 { $key } 이(가) 짧은 단순 값이 아닙니다
journal-damaged-record = 손상되었습니다(읽을 수 있는 기록이 아닙니다)
journal-record-set-aside = { $path }:{ $line }: 기록 { $record } 은(는) labnote 가 쓴 기록이 아닙니다: { $why }. { $aside } 로 옮겼고 다시 읽지 않습니다

## labfile.rs
labfile-read = { $path }: 실습 파일을 읽을 수 없습니다: { $reason }
labfile-keeps-changing = { $path }: labnote 가 쓰는 동안 실습 파일이 계속 바뀝니다(편집기가 저장 중인가요?). 아무것도 쓰지 않았습니다. 다시 시도하세요
labfile-outside-course = { $path } 은(는) 코스 폴더 { $course } 밖의 { $target } 을(를) 가리키는 링크입니다. labnote 는 코스 안의 파일에만 씁니다: 실습 파일을 코스로 복사하고(`cp --remove-destination { $target } { $path }`) 명령을 다시 실행하세요

## yamlguard.rs
yamlguard-too-deep = { $max }단계보다 깊게 중첩되어 있습니다({ $line }번째 줄 { $column }번째 열). labnote 의 YAML 은 3단계면 충분합니다

## store.rs
store-invalid-path = { $path }: 파일 경로가 아닙니다({ $reason })
store-no-file-name = 파일 이름이 없습니다
store-no-parent = 상위 폴더가 없습니다
store-nul-byte = NUL 바이트가 들어 있습니다
store-exists = { $path } 이(가) 이미 있어 덮어쓰지 않았습니다(바꾸려면 --force 를 쓰세요)
store-create-temp = { $path } 에 임시 파일을 만들 수 없습니다: { $cause }
store-write = { $path } 에 쓸 수 없습니다: { $cause }
store-read = { $path } 을(를) 읽을 수 없습니다: { $cause }
store-permissions = { $path } 의 권한을 설정할 수 없습니다: { $cause }
store-rename = { $path } 을(를) 바꿀 수 없습니다: { $cause }
store-sync-dir = { $path } 에 썼지만 폴더 { $dir } 을(를) 디스크에 반영하지 못했습니다: { $cause }
store-create-dir = 폴더 { $path } 을(를) 만들 수 없습니다: { $cause }
store-open = { $path } 을(를) 열 수 없습니다: { $cause }
store-lock = { $path } 을(를) 잠글 수 없습니다: { $cause }
store-link = { $path } 은(는) 심볼릭 링크입니다. labnote 는 상태 폴더 안의 링크를 따라가지 않습니다(다른 사람이 준 코스 폴더가 내 어떤 파일이든 가리킬 수 있기 때문입니다). 링크를 지우고(`rm { $path }`) 명령을 다시 실행하세요
store-not-regular = { $path } 은(는) 일반 파일이 아니라 { $kind }입니다. labnote 는 일반 파일만 읽습니다: 지우거나 실제 파일로 바꾸세요
store-too-large = { $path } 이(가) { $mib } MiB 보다 커서 labnote 가 이런 파일로 읽는 크기를 넘습니다. 올바른 파일인지 확인하거나 나누세요
store-hint-permission = ({ $path } 의 소유자인지, { $dir } 에 쓸 수 있는지 확인하세요)
store-hint-read-only = (파일 시스템이 읽기 전용으로 마운트되어 있습니다)
store-hint-disk-full = (디스크 공간을 확보한 뒤 다시 시도하세요)
store-hint-too-big = (파일이 이 프로세스(`ulimit -f`) 또는 파일 시스템의 크기 제한에 도달했습니다)
store-kind-folder = 폴더
store-kind-fifo = FIFO(이름 있는 파이프)
store-kind-char-device = 문자 장치
store-kind-block-device = 블록 장치
store-kind-socket = 소켓
store-kind-symlink = 심볼릭 링크
store-kind-special = 특수 파일

## awsconfig.rs
awsconfig-empty-name = 프로필 이름이 비어 있습니다
awsconfig-bad-char = 프로필 이름 '{ $name }' 에 AWS CLI 가 프로필 이름에 쓸 수 없는 { $char } 이(가) 있습니다. ASCII 영문자, 숫자와 - _ . @ + 만 쓰세요(예: '{ $suggestion }')
awsconfig-leading-dash = 프로필 이름 '{ $name }' 이(가) '-' 로 시작해서 `--profile { $name }` 이 옵션으로 읽힙니다. 영문자로 시작하세요

## awserr.rs
awserr-no-profiles = 없음
awserr-or-unset = , 또는 `unset AWS_PROFILE`
awserr-unknown-profile = AWS 프로필 `{ $profile }`({ $from }) 이(가) ~/.aws/config 나 ~/.aws/credentials 에 정의되어 있지 않습니다(있는 프로필: { $have }). 해결: `aws configure --profile { $profile }`{ $unset }
awserr-sso = AWS SSO 세션에 로그인되어 있지 않거나 세션이 만료되었습니다. 해결: `aws sso login{ $flag }`
awserr-sso-profile = 프로필 `{ $profile }` 의 AWS SSO 세션에 로그인되어 있지 않거나 세션이 만료되었습니다. 해결: `aws sso login{ $flag }`
awserr-no-credentials = AWS 자격 증명을 찾을 수 없습니다. 해결: `aws configure{ $flag }`(또는 `aws configure sso` 후 `aws sso login`), 로컬 서버로 연습하려면 --endpoint-url 을 주세요
awserr-no-credentials-profile = 프로필 `{ $profile }` 의 AWS 자격 증명을 찾을 수 없습니다. 해결: `aws configure{ $flag }`(또는 `aws configure sso` 후 `aws sso login`), 로컬 서버로 연습하려면 --endpoint-url 을 주세요
awserr-ctx-default-chain = 기본 순서(환경 변수, 그다음 `default` 프로필)
awserr-ctx-from = { $value }({ $from } 에서)
awserr-ctx-region-default = 프로필의 리전, 없으면 us-east-1
awserr-ctx-endpoint-default = AWS 의 IAM/STS 엔드포인트
awserr-ctx-line = aws: 프로필 { $profile }; 리전 { $region }; 엔드포인트 { $endpoint }
secret-dangling-link = 존재하지 않는 파일을 가리키는 심볼릭 링크입니다. 링크를 지우거나 { $env } 를 다른 곳으로 설정하세요
secret-no-identity-inside = identity가 들어 있지 않습니다
secret-key-file-too-large = { $max } 바이트보다 커서 키 파일이 아닙니다
secret-wrapped-damaged = age로 암호화된 identity처럼 보이지만 손상되었거나 잘렸습니다
secret-wrapped-to-key = 암호가 아니라 키로 암호화된 age 파일입니다. --identity 로 identity 파일 자체를 지정하세요
secret-work-factor = 암호의 작업 계수(work factor)가 너무 높아 여기서 열 수 없습니다
secret-wrapped-undecryptable = 복호화할 수 없습니다(손상되었나요?)
secret-passphrase-prompt = { $path } 의 암호:{" "}
secret-line-malformed-key = AGE-SECRET-KEY-1 줄의 형식이 잘못되었습니다(길이나 체크섬이 틀립니다. 잘렸나요?)
secret-line-public-key = identity가 아니라 공개 키입니다. 다른 사람의 공개 키는 recipients.txt 에 넣으세요
secret-line-ssh-public-key = SSH 공개 키입니다. identity로는 개인 키(.pub 없는 파일)를 지정하세요
secret-line-plugin = age 플러그인 identity는 지원하지 않습니다
secret-line-wrapped = 암호로 보호된 identity 파일은 지원하지 않습니다
secret-line-not-identity = age identity가 아닙니다(AGE-SECRET-KEY-1… 줄, # 주석, 또는 암호 없는 OpenSSH 개인 키 파일이어야 합니다)
secret-no-key-line = AGE-SECRET-KEY-1… 줄이 없습니다. 다른 경로로 `labnote init` 을 실행하거나 파일을 고치세요
secret-bad-ssh-key = 사용할 수 있는 OpenSSH 개인 키가 아닙니다({ $reason })
secret-ssh-key-encrypted = SSH 키가 암호로 보호되어 있는데 labnote 는 그 암호를 물을 수 없습니다. `labnote init` 으로 age identity를 만들거나 암호 없는 키를 쓰세요
secret-no-public-key = 공개 키를 만들 수 없습니다({ $reason })
secret-bad-age-recipient = 올바른 age1… X25519 공개 키가 아닙니다(플러그인 수신자는 지원하지 않습니다)
secret-ssh-type-unsupported = SSH 키 종류 { $kind } 은(는) 지원하지 않습니다. ssh-ed25519 나 ssh-rsa 를 쓰세요
secret-rsa-too-small = ssh-rsa 키가 2048비트보다 짧습니다
secret-rsa-too-large = ssh-rsa 키가 age가 지원하는 크기보다 큽니다
secret-bad-ssh-recipient = 올바른 SSH 공개 키가 아닙니다({ $reason })
secret-ssh-unsupported = 이 SSH 키 종류는 지원하지 않습니다. ssh-ed25519 나 ssh-rsa 를 쓰세요
secret-recipient-is-secret = 비밀 키입니다: 이 줄을 지우고 대신 공개 키를 넣으세요(`age-keygen -y` 가 출력합니다)
secret-recipient-expected = age1… 공개 키나 ssh-ed25519/ssh-rsa 공개 키여야 합니다
secret-file-not-utf8 = 파일이 UTF-8 텍스트가 아닙니다
secret-base64-char = { $position }번째 문자가 잘못되었습니다
secret-base64-last-char = 마지막 문자({ $position }번째)가 잘못되었습니다
secret-cut-or-altered = 잘렸거나 변경되었습니다(인증 실패)
secret-not-age-file = age 파일이 아닙니다
secret-header-altered = 헤더가 변경되었습니다
course-parser-thread = 파서 스레드가 실패했습니다
awserr-from-region-or-course = --region 또는 course.yaml

## cli/walknote.rs: walk의 메모 지점과 메모 메뉴
walknote-asks = 📝 { $at } 에서 메모할 값: { $names }  (m 으로 메모)
walknote-asks-used = 📝 { $at } 에서 메모할 값: { $names } — 사용하는 곳 { $uses }  (m 으로 메모)
walknote-tier-step = 이 단계에서 메모할 값:
walknote-tier-lab = { $lab } 의 메모 블록:
walknote-tier-course = 코스에서 아직 필요한 값:
walknote-state-noted = 메모됨
walknote-state-empty = 비어 있음
walknote-new-name = 새 이름
walknote-which = 어느 항목? (번호, 또는 이름 입력; 비우면 취소) >{" "}
walknote-name-prompt = 새 값의 이름 (비우면 취소) >{" "}
walknote-cancelled = 메모하지 않았습니다
walknote-no-such = { $n } 번 항목은 없습니다: 1 부터 { $last } 중에서 고르거나 이름을 입력하세요; 메모하지 않았습니다
walknote-hidden-prompt = { $key } (입력 내용 숨김):{" "}
walknote-block-hint = (여러 줄 값: { $marker } 만 입력한 뒤 줄들을 붙여넣고 빈 줄로 끝내세요)
walknote-cannot-read = 값을 읽을 수 없습니다: { $cause }
walknote-noted = { $lab } 에 '{ $key }' 메모함
walknote-unchanged = { $lab } 의 '{ $key }' 에 이미 같은 값이 있습니다
walknote-new-identity = '{ $key }' 를 암호화할 age 신원이 아직 없습니다: `labnote init` 처럼 새로 만듭니다 (잃어버리면 값을 되읽을 수 없으니 보관하세요)
## render.rs, timefmt.rs, cli/termfill.rs: 터미널 렌더러와 현지 시각
render-image = [이미지: { $path }]
render-image-missing = 파일 없음
render-image-open-key = o 로 열기
render-image-outside = 실습 폴더 밖이라 열지 않음
render-details-no-summary = 세부 내용
render-details-folded = ▸ { $summary } (접힘) · { $how }
render-details-open-key = e 로 펼치기
render-details-open-flag = show --details 로 펼치기
time-never = 없음
## cli/run.rs (note11): 단계의 명령 실행
help-run-note = 터미널 없이 명령이 출력한 값을 메모합니다: NAME(`memo set` 처럼 값의 어떤 표기든)에 REGEX 의 첫 일치, 또는 그 첫 캡처 그룹을 메모합니다. 여러 번 줄 수 있습니다. 일치가 없으면 오류이며 아무것도 쓰지 않습니다.
run-no-commands = 실습 { $lab } 의 { $step } 단계({ $title })에는 실행할 명령이 없습니다(bash/sh/shell 블록이나 명령으로 시작하는 언어 없는 블록만 실행합니다). `labnote done { $lab } { $step }` 로 체크하세요
run-needs-confirmation = { $step } 단계를 실행하려면 블록마다 확인이 필요합니다. 터미널에서 실행하거나 --yes 를 주세요
run-key-step = { $step } 단계는 액세스 키 단계입니다. labnote 가 IAM API로 수행합니다
run-key-step-done = ✔ { $step } 단계 완료: 실습에 활성 액세스 키가 있습니다
run-note-key-step = --note: { $step } 단계는 액세스 키 단계입니다. 그 값은 출력이 아니라 issue-key 가 메모합니다
run-note-shape = --note { $arg }: NAME=REGEX 형식이어야 합니다. 예: --note "token=token:\s+(\S+)" (NAME 은 `memo set` 처럼 값의 어떤 표기든 됩니다)
run-note-regex = --note { $arg }: 정규식을 컴파일할 수 없습니다: { $reason }
run-note-not-taken = 메모한 값이 없습니다: { $step } 단계의 블록이 통과하지 못했습니다
run-block-of-step = { $step } 단계의 { $block }번째 블록: { $msg }
run-not-noted-closest = <<{ $name }>> (가장 가까운 메모 키: «{ $key }»)
run-not-noted = { $step } 단계의 { $block }번째 블록이 메모되지 않은 값을 씁니다: { $names }. 먼저 `labnote memo set LAB KEY VALUE` 로 메모하세요
run-block-header = ── 블록 { $block }/{ $blocks } ({ $lang }) ─────────────
run-ask-block = 이 블록을 실행할까요? [Y/n/q]{" "}
run-skipped = 건너뜀
run-passed = ✔ { $step } 단계가 통과하여 체크되었습니다
run-partial = 블록 { $skipped }개를 건너뛰었습니다. { $step } 단계는 체크하지 않습니다(직접 수행한 뒤 `labnote done { $lab } { $step }`)
run-stopped = 중단했습니다. { $step } 단계는 체크하지 않습니다
run-interrupted = 인터럽트되었습니다. { $step } 단계는 체크하지 않습니다
run-failed = { $step } 단계의 블록이 종료 코드 { $code } 로 실패했습니다. 단계는 체크하지 않습니다
run-example-not-run = { $step } 단계의 예시: { $reason }
run-is-key-step = 실습 { $lab } 의 { $step } 단계는 액세스 키 단계입니다. 블록을 실행하지 않고 labnote 가 IAM API로 수행합니다(`labnote issue-key { $lab }`, 또는 실습 페이지의 키 발급)
run-not-a-folder = { $what }: 폴더가 아닙니다. 만들거나(`mkdir -p { $path }`) 다른 폴더를 지정하세요
run-current-dir = 현재 폴더를 읽을 수 없습니다: { $reason }

## cli/capture.rs (note11): 명령 출력에서 값 메모
capture-no-match = --note: 단계의 출력에 { $name } 에 맞는 부분(정규식 { $regex })이 없습니다. 아무것도 메모하거나 기록하지 않았습니다. 정규식을 출력과 비교해 보거나 `labnote memo set { $lab } "{ $name }" VALUE` 로 메모하세요
capture-hidden = (비밀, 암호화됨)
capture-noted = '{ $key }' 을(를) { $lab } ({ $path }) 에 메모했습니다: { $value }
capture-unchanged = { $lab } 의 '{ $key }' 에 이미 그 값이 있습니다. 파일은 그대로입니다
capture-asks = 실습 { $lab } 의 { $steps } 단계에서 메모할 값: { $names }
capture-used-in = 사용하는 곳: { $steps }
capture-already-noted = 메모됨
capture-which-value = 어느 값을 메모할까요? (번호, 빈 줄: 없음){" "}
capture-choose-number = 1부터 { $max } 사이의 번호를 고르거나, 없으면 Enter 를 누르세요
capture-values-for = 출력에서 «{ $name }» 후보:
capture-line = { $line }번째 줄
capture-block = { $from }–{ $to }번째 줄({ $count }줄): { $first }
capture-type = 값을 직접 입력
capture-choose = 어느 것을 메모할까요? (번호, b1…, t, 빈 줄: 건너뜀){" "}
capture-choose-again = 목록의 번호, b와 블록 번호, 또는 t 를 고르세요
capture-hidden-prompt = { $name } (입력이 보이지 않음):{" "}
capture-cannot-read = 값을 읽을 수 없습니다: { $reason }
## cli/walk.rs, cli/prompt.rs, the walk's access-key preview in issue.rs (walk12)
walk-needs-terminal = walk 는 터미널에서만 쓸 수 있습니다. 터미널이 없으면 `labnote next`, `labnote done LAB STEP`, `labnote run LAB STEP --yes` 를 쓰세요
walk-all-done = 과정의 모든 실습을 마쳤습니다
walk-lab-complete = 🎉 실습 { $lab } { $title } 을(를) 마쳤습니다.
walk-lab-end = 실습 { $lab } { $title } 의 끝: { $steps }단계 중 { $open }단계가 남았습니다. `labnote walk { $lab }` 로 남은 첫 단계부터 이어 갑니다.
walk-continue = 다음 실습 { $lab } { $title } 로 이어 갈까요? [Y/n]
walk-bar-lab = 실습
walk-bar-course = 과정
walk-done-mark = (완료)
walk-menu-done = [d]완료
walk-menu-run = [r]실행
walk-menu-memo = [m]메모
walk-menu-copy = [c]복사
walk-menu-expand = [e]펼치기
walk-menu-fold = [e]접기
walk-menu-image = [o]이미지
walk-menu-csv = [x].csv
walk-menu-skip = [s]건너뛰기
walk-menu-back = [b]이전
walk-menu-quit = [q]종료
walk-choose-one = 다음 중에서 고르세요: { $menu }
walk-values-head = 단계 { $step } 의 값:
walk-value-secret = •••• (비밀)
walk-value-missing = (메모 안 됨)
walk-copy-which = 어느 값을 복사할까요? (번호, 비우면 취소) >
walk-copy-missing = «{ $name }» 은(는) 아직 메모되지 않았습니다. [m]메모 나 `labnote memo set LAB KEY VALUE` 로 메모하세요
walk-copied = «{ $name }» 을(를) 복사했습니다: { $to } (화면에는 표시하지 않음)
walk-images-head = 단계 { $step } 의 이미지:
walk-image-state-missing = 파일 없음
walk-image-which = 어느 이미지를 열까요? (번호, 비우면 취소) >
walk-image-missing = 이미지 { $path } 가 없습니다: { $file } 파일이 존재하지 않습니다
walk-image-remote = 이미지 { $url } 는 웹에 있습니다. labnote 는 실습 파일의 링크를 열지 않습니다
walk-image-refused = 이미지 { $path } 는 과정 폴더 밖에 있거나 이미지 파일이 아니라서 열지 않습니다
walk-image-no-viewer = 이미지 뷰어가 없습니다: { $viewer } 가 설치되어 있지 않습니다. { $file } 을(를) 직접 여세요
walk-image-viewer-failed = { $viewer } 가 { $file } 을(를) 열지 못했습니다(종료 코드 { $code }). 직접 여세요
walk-image-opened = { $file } 을(를) { $viewer } 로 열었습니다
walk-csv-hint = ⬇ 이 액세스 키의 .csv 파일을 labnote 가 대신 만들 수 있습니다: [x]
walk-csv-path = .csv 를 저장할 경로 [{ $default }] (비우면 그 경로, q: 취소) >
walk-key-done = 단계 { $step } 는 이미 완료되었습니다: 실습 { $lab } 에 액세스 키 { $key } 가 있습니다. 새 키는 `{ $cmd }` 로 발급합니다
walk-key-preview-head = AWS 에 실제 액세스 키를 만듭니다:
walk-key-preview-user = IAM 사용자  { $user }
walk-key-preview-account = 계정        { $account } ({ $arn } 로 로그인)
walk-key-preview-keys = 현재 키     { $keys }
walk-key-preview-none = 없음
walk-key-preview-retire = 폐기할 키   { $key } (비활성화 후 삭제: 그 Secret 은 더 이상 쓸 수 없습니다)
walk-key-preview-no-retire = 폐기할 키   없음
walk-key-confirm = 키를 만들까요? [y/N]
issue-preview-declined = 중단했습니다: { $user } 의 액세스 키를 만들지 않았고 폐기한 키도 없습니다
walk-memo-empty = 비어 있음
walk-memo-noted-state = 메모됨
walk-memo-which = 어느 항목인가요? (번호, 비우면 취소) >
walk-memo-hidden = { $key } (입력 숨김):
walk-memo-noted = '{ $key }' 을(를) 메모했습니다
walk-memo-unchanged = '{ $key }' 에 이미 그 값이 있습니다
walk-read-failed = 값을 읽을 수 없습니다: { $error }
## render.rs, view.rs (이슈 12): 화면의 코드 블록이 무엇인지, blocks::classify 에서
render-code-runs = 실행함
render-code-example = 결과 예시 (실행 안 함)
render-code-not-shell = 셸 블록 아님
render-code-alternative = 참고: 실행 전에 물어봄
render-code-outside = 단계 밖 (실행 안 함)
## session.rs, and the shell checks of cli/run.rs (`--shell`, a block's own shell)
session-restarted = 이 세션의 { $shell } 셸이 끝났습니다. { $dir } 에서 새 셸을 시작합니다
session-bad-variable = 변수 { $name }: 셸 변수 이름이나 값으로 쓸 수 없습니다
session-nul-byte = 블록에 NUL 바이트가 있습니다
session-cannot-start = { $program } 을(를) 시작할 수 없습니다: { $reason }
run-shell-unknown = --shell { $given }: labnote 가 블록을 실행하는 셸이 아닙니다. --shell bash, --shell sh, --shell zsh 중 하나를 주세요(이름이나 경로)
run-shell-fish = --shell { $given }: fish 는 지원하지 않습니다(labnote 는 fish 블록을 처음 실패한 명령에서 멈출 수 없습니다). --shell bash, --shell sh, --shell zsh 중 하나를 주세요
run-shell-missing = --shell { $given }: 실행할 수 있는 { $program } 을(를) 찾을 수 없습니다(PATH 에도, 그 경로에도 없음). 설치하거나 --shell bash 를 주세요
# A block run cannot run: `why` is fish (labnote does not run fish blocks) or missing
# (its shell is not installed).
run-shell-block-refused = { $why ->
        [fish] { $file }:{ $line }: 단계 { $step } 의 블록 { $block } 은 `fish` 블록이라 labnote 가 실행하지 않습니다(fish 블록은 처음 실패한 명령에서 멈출 수 없어 실패해도 단계가 통과됩니다). 아무것도 실행하지 않았습니다. 단계를 fish 에서 직접 실행하고 `labnote done { $lab } { $step }` 로 표시하세요
       *[missing] { $file }:{ $line }: 단계 { $step } 의 블록 { $block } 은 `{ $lang }` 블록인데 { $program } 이(가) 설치되어 있지 않습니다(PATH 에 없음). 아무것도 실행하지 않았습니다. { $program } 을(를) 설치하거나, 블록을 직접 실행한 뒤 `labnote done { $lab } { $step }` 로 단계를 표시하세요
    }
## app/ (애플리케이션 계층), memo.rs, cli/memo.rs, web/, labfile.rs (오래된 편집): issue 10
app-memo-refused = 실습 { $lab }: { $reason }
app-no-entry = 실습 { $lab } 에 메모 항목 '{ $key }' 이(가) 없습니다. 있는 항목: { $entries }
app-no-memo-block = (없음: 이 실습에는 메모 블록이 없습니다)
app-entry-empty = 실습 { $lab } 의 '{ $key }' 은(는) 비어 있습니다. `labnote memo set { $lab } "{ $key }" VALUE` 로 메모하세요
app-not-held = 코스의 어느 실습에도 '{ $key }' 값이 없습니다
app-encrypted-meanwhile = 실습 { $lab } 의 '{ $key }' 이(가) 그 사이에 암호화되었습니다. 명령을 다시 실행하세요
app-bad-value = 실습 { $lab }, 키 '{ $key }': { $reason }
app-no-key-entries = 실습 { $lab } 에는 액세스 키 메모 항목이 없습니다
app-no-key-noted = 실습 { $lab } 에 아직 액세스 키가 메모되지 않았습니다. `labnote issue-key { $lab }` 를 실행하거나 `labnote memo set` 으로 두 값을 모두 메모하세요
app-no-key-in-course = 코스의 어느 실습에도 아직 액세스 키가 없습니다. 먼저 `labnote issue-key LAB` 를 실행하세요
app-not-an-iam-user = IAM 사용자로 로그인되어 있지 않습니다: course.yaml 에서 실습 { $lab } 의 iam_user 를 설정하세요
app-no-placeholder = 실습 { $lab } 에는 플레이스홀더 <<{ $name }>> 이(가) 없습니다
app-not-noted = <<{ $name }>> 은(는) 아직 메모되지 않았습니다
memo-identity-created = { $path } 를 만들었습니다 (모드 0600)
memo-identity-exists = { $path } 이(가) 이미 있어 그대로 두었습니다
memo-no-entries = 메모 항목이 없습니다
memo-plaintext-secret = 평문입니다! `labnote memo seal` 로 암호화하세요
memo-stdin-unreadable = 표준 입력에서 값을 읽을 수 없습니다 (UTF-8 텍스트여야 합니다): { $reason }
memo-stdin-empty = 표준 입력이 비어 있어 '{ $key }' 의 값을 읽지 못했습니다. 값을 비우려면 `labnote memo unset` 을 쓰세요
memo-no-value = '{ $key }' 의 값이 주어지지 않았습니다. VALUE 를 주거나, `-` 로 표준 입력에서 읽으세요
memo-cannot-read = 값을 읽을 수 없습니다: { $reason }
memo-secret-on-command-line = 팁: 명령줄에 준 비밀 값은 셸 기록에 남고 labnote 가 실행되는 동안 다른 프로세스에 보입니다. VALUE 를 생략하면 입력을 물어보고, `-` 를 주면 표준 입력에서 읽습니다
memo-noted = { $lab } ({ $path }) 에 '{ $key }' 을(를) 메모했습니다
memo-same-value = { $lab } 의 '{ $key }' 은(는) 이미 그 값입니다. 파일은 건드리지 않았습니다
memo-emptied = { $lab } 의 '{ $key }' 을(를) 비웠습니다
memo-already-empty = { $lab } 의 '{ $key }' 은(는) 이미 비어 있습니다
memo-value-from = '{ $key }' 은(는) 실습 { $lab } ({ $path }) 의 값입니다
memo-sealed = { $lab } 의 '{ $key }' 을(를) 암호화했습니다
memo-nothing-to-seal = 평문 비밀 값이 없습니다
web-worker-failed = 요청을 처리하던 작업이 실패했습니다
web-issue-thread-failed = 키 발급 스레드가 실패했습니다
web-no-lab = 이 코스에 '{ $lab }' 실습이 없습니다
web-name-a-value = 플레이스홀더(name) 또는 메모 키(key)를 지정하세요
web-name-a-block = 코드 블록(block)을 지정하세요
web-no-block = 실습 { $lab } 에 코드 블록 { $block } 이(가) 없습니다
memo-one-line = 메모 값은 한 줄이어야 합니다. '{ $key }' 에 줄바꿈이 있는 값이 주어졌습니다
memo-looks-encrypted = 평문 메모 값은 'age:' 로 시작할 수 없습니다 (암호화된 값의 표시입니다). '{ $key }' 을(를) 암호화해 저장하려면 --secret 을 쓰세요
memo-bad-key = 메모 키는 비어 있거나 '<', '>', 줄바꿈을 포함할 수 없습니다: '{ $key }'
memo-empty = '{ $key }' 의 값이 주어지지 않았습니다 (아무것도 바꾸지 않았습니다). 항목을 비우려면 `labnote memo unset { $lab } "{ $key }"` 를 쓰세요
memo-key-twice = 메모 키 '{ $key }' 이(가) 두 번 적혀 있어 (줄 { $first }, { $second }) 어느 항목이 값을 가지는지 알 수 없습니다. 두 줄 중 하나를 지우고 명령을 다시 실행하세요 (아무것도 바꾸지 않았습니다)
labfile-stale = labnote 가 보여준 뒤 { $path } 이(가) 디스크에서 바뀌었습니다 (편집기가 저장했나요?). 아무것도 쓰지 않았습니다 — 실습을 다시 보고 변경을 반복하세요
## textsafe: 실습의 제어 문자를 글자로 표시 (lab.rs, cli/run.rs 확인)
textsafe-lab-names = { $path }:{ $line }: 실습의 제목, 메모 키, 플레이스홀더 또는 메모할 곳에 제어 문자(이스케이프 시퀀스?)가 있습니다(줄 { $lines }). labnote 는 이를 글자로 보여 줍니다(ESC 는 ^[, CR 은 ^M): 실습에서 지우세요
textsafe-run-hidden = { $file }:{ $line }: 단계 { $step } 의 블록 { $block } 에 { $what } 이(가) 있어 터미널에서 명령의 일부가 가려질 수 있습니다. 보이는 블록과 실행될 블록이 다르므로 아무것도 실행하지 않았습니다: 실습의 그 줄에서 지우세요
textsafe-esc = ESC 문자(^[)
textsafe-cr = 줄 중간의 캐리지 리턴(^M)

## wfix: the prompts of cli/blocks.rs and cli/keys.rs (through cli::prompt)
blocks-alternative-ask = 이 대안 블록도 실행할까요? [y/N]{" "}
blocks-start-there = 지난 실행은 { $dir } 에서 끝났습니다. 거기서 시작할까요? [Y/n]{" "}
keys-retire-ask = { $key } 을(를) 폐기할까요? [y/N]{" "}
## jsafe (review 3,4,5,7,9,10b): session.rs line cap, run --note keyring
session-line-cut = … (이 줄의 나머지 { $bytes } 바이트는 보이지 않습니다)

# labnote serve: why the server could not start.
serve-runtime = 비동기 런타임을 시작할 수 없습니다: { $reason }
serve-bind = { $addr }에서 연결을 받을 수 없습니다: { $reason }; 다른 --port를 주세요 (0이면 비어 있는 아무 포트)
serve-no-free-port = { $ip }의 포트 { $from }..{ $to }가 모두 사용 중입니다; --port N을 주세요 (0이면 비어 있는 아무 포트)
serve-random = 임의 토큰을 만들 수 없습니다: { $reason }
serve-server = 서버 오류: { $reason }

## issue 20 (H8): the access-key CSV outside the course
app-csv-in-course = 평문 액세스 키를 { $path } 에 쓰지 않습니다: 코스 폴더 { $course } 안이라 `git add .` 한 번이면 비밀이 공개됩니다. 바깥에 쓰거나(--out 없이 실행하면 다운로드 폴더, 없으면 홈 폴더에 씁니다), 그래도 그곳에 쓰려면 --force 를 주세요
app-csv-in-git = 평문 액세스 키를 { $path } 에 쓰지 않습니다: git 작업 트리 { $tree } 안이라 `git add .` 한 번이면 비밀이 공개됩니다. 바깥에 쓰거나(--out 없이 실행하면 다운로드 폴더, 없으면 홈 폴더에 씁니다), 그래도 그곳에 쓰려면 --force 를 주세요
keys-csv-written = { $path } 에 실습 { $lab } 의 액세스 키 { $id } 를 썼습니다 (mode 0600)

## issue 20 (H8): messages of ours that were printed in English only
wanted-all-noted = 코스가 요구하는 값을 모두 메모했습니다
wanted-also-written = 다른 표기: { $names }
wanted-asked-in = 메모하라는 곳: { $at }: { $text }
wanted-asked-in-memo = 메모하라는 곳: { $lab } 의 메모 블록
wanted-never-asked = 메모하라는 곳이 없습니다(강사가 주는 값이거나 직접 정하는 값)
wanted-used-in = 쓰이는 곳: { $uses }
wanted-note-it = 메모하기: { $cmd } 값   (또는 표준 입력이면 `-`)
wanted-note-it-secret = 메모하기: { $cmd }  (화면에 보이지 않게 입력을 물어봅니다)
wanted-points-generic = (출력된 값)
serve-exposed = { $addr } 에서 기다립니다. 루프백 주소가 아니므로 같은 네트워크의 다른 사람도 서버에 접속할 수 있습니다(토큰은 여전히 필요합니다)
serve-started = labnote serve: 위 URL 을 여세요. Ctrl-C 로 서버를 멈춥니다
blocks-none = { $step } 단계에는 코드 블록이 없습니다
blocks-at = { $step } 단계 { $line }번째 줄
blocks-no-language = 언어 표시 없음
blocks-alternative = 이 블록은 대안입니다: { $reason }
blocks-alternative-skipped-no-terminal = 건너뜀(대안입니다. 실행하려면 터미널에서 골라 주세요)
blocks-alternative-skipped = 건너뜀(대안)
blocks-why-bare-not-command = 언어 표시가 없고 명령으로 시작하지 않는 블록
blocks-why-not-shell = `{ $lang }` 은(는) 셸 언어가 아닙니다
blocks-why-after-line = , `{ $line }` 줄 다음
blocks-why-shown = { $why }{ $after }: 보여 주기만 하고 실행하지 않습니다
blocks-why-example-output = `{ $line }` 줄(예시 출력) 다음에 있습니다: 보여 주기만 하고 실행하지 않습니다
blocks-why-shows-what-appears = 출력 화면을 보여 주는 `{ $line }` 줄 다음에 있습니다: 보여 주기만 하고 실행하지 않습니다
blocks-why-reference-line = 참고로 표시된 `{ $line }` 줄 다음에 있습니다: 직접 고를 때만 실행합니다
blocks-why-reference-details = 참고로 표시된 `<details>` «{ $summary }» 안에 있습니다: 직접 고를 때만 실행합니다
blocks-why-bare-run = 언어 표시가 없고 명령으로 시작하는 블록: 실행할 명령
blocks-why-run = `{ $lang }` 블록: 실행할 명령
blocks-why-prompt = 첫 줄이 셸 프롬프트 `{ $prompt }` 입니다(출력 { $n }줄이 있는 실행 기록)
blocks-why-dollar-prompt = 첫 줄이 셸 프롬프트 `$` 이고 출력 { $n }줄이 뒤따릅니다(실행 기록)
blocks-why-table-header = 첫 줄 `{ $line }` 이(가) 명령이 출력한 표의 머리글입니다
copy-no-name = copy: 메모 키나 플레이스홀더를 주세요. 예: `labnote copy "<<github_token>>"`
copy-closest = {" "}(가장 가까운 메모 키: «{ $key }»)
copy-not-noted = copy { $arg }: «{ $name }» 에 메모된 값이 없습니다{ $hint }. `labnote memo set LAB KEY VALUE` 로 메모하세요
copy-copied = { $origin } 값을 복사했습니다: { $places }
copy-copied-secret = { $origin } 비밀 값을 복사했습니다: { $places }
copy-origin-memo = 실습 { $lab } 의 «{ $key }»
copy-origin-computed = labnote 가 계산한 값
copy-no-clipboard = copy { $arg }: 복사할 클립보드가 없습니다(터미널, tmux, wl-copy/xclip/xsel 이 없음). `labnote memo get "{ $name }"` 로 값을 출력할 수 있습니다
clipboard-tmux-and-terminal = tmux 버퍼(tmux 의 set-clipboard 설정에 따라 터미널 클립보드에도)
clipboard-tmux = tmux 버퍼
clipboard-osc52 = 터미널 클립보드(OSC 52)
clipboard-desktop = 데스크톱 클립보드({ $tool })
keys-already-holds = 실습 { $lab } 에는 이미 { $user } 의 활성 액세스 키 { $key } 가 있습니다: 바꾼 것이 없습니다(새 키는 --rotate)
keys-issued-user = 사용자    { $user }
keys-issued-key = 새 키     { $key }
keys-issued-retired = 폐기      { $keys } (IAM 에서 삭제함)
keys-issued-saved = 저장 위치 { $path } — 메모 «{ $id_key }», «{ $secret_key }» (age 로 암호화)
keys-issued-read = 읽기: `{ $cmd }`
walk-key-real = ⚠ `r` 은(는) 실제 AWS 계정에 IAM 사용자 { $user } 의 액세스 키를 만듭니다. 계정은 지금 자격 증명이 닿는 곳입니다({ $context }). 만들기 전에 계정과 호출자를 보여 주고 묻습니다.
walk-key-real-signed-in = 지금 로그인한 사용자
iam-no-credentials = AWS 자격 증명을 찾을 수 없습니다. `aws configure`(또는 `aws configure sso` 후 `aws sso login`)로 설정하거나, AWS_PROFILE 또는 --profile 로 프로필을 고르거나, AWS_ACCESS_KEY_ID 와 AWS_SECRET_ACCESS_KEY 를 설정하세요. 로컬 서버(예: moto)로 연습하려면 --endpoint-url 을 주세요
iam-credentials-config = AWS 자격 증명을 불러올 수 없습니다: { $reason }. ~/.aws/config 와 ~/.aws/credentials(`aws configure list` 가 쓰이는 설정을 보여 줍니다)와 프로필 이름을 확인하세요
iam-expired-token = AWS 세션이 만료되었습니다: 다시 로그인하거나(`aws sso login`, 프로필을 쓰면 --profile 과 함께) 새 임시 자격 증명을 받은 뒤 다시 시도하세요
iam-invalid-credentials = AWS 가 자격 증명을 거부했습니다({ $code }: { $message }). 액세스 키가 삭제되었거나 비활성이거나 비밀 키를 잘못 입력했을 수 있습니다: 올바른 키로 `aws configure` 를 실행하세요(컴퓨터 시계가 맞는지도 확인하세요)
iam-access-denied = { $action } 권한이 거부되었습니다. 지금 쓰는 IAM 자격에는 다음 권한이 필요합니다: { $actions }. 계정 관리자에게 권한을 요청하거나 권한이 있는 프로필(--profile)을 쓰세요
iam-no-such-user = 이 AWS 계정에 IAM 사용자 `{ $user }` 이(가) 없습니다. 먼저 만들거나(실습 단계 참고), 올바른 계정/프로필을 쓰는지 확인하세요(`aws sts get-caller-identity`)
iam-no-such-key = IAM 사용자 `{ $user }` 의 액세스 키 { $key_id } 가 더 이상 없습니다(그사이 삭제되었을 수 있습니다). 키 목록을 다시 보고 다시 시도하세요
iam-limit-exceeded = IAM 사용자 `{ $user }` 은(는) 이미 최대 2개의 액세스 키를 가지고 있습니다(비활성 키도 셉니다). 먼저 하나를 폐기하세요(--retire KEY_ID 로 고릅니다). 방금 2개보다 적게 보였다면 동시에 다른 키가 만들어진 것입니다: 단계를 다시 실행하세요
iam-throttled = { $attempts }번 시도한 뒤에도 AWS 가 요청을 제한하고 있습니다(rate exceeded): 잠시 뒤 다시 시도하세요
iam-service = AWS 가 오류를 돌려주었습니다: { $code }: { $message }. 서버 쪽 오류(5xx, 이미 { $attempts }번 시도함)라면 몇 분 뒤 다시 시도하세요
iam-connect = { $endpoint } 에 연결할 수 없습니다: { $cause }. 네트워크 연결을 확인하세요. --endpoint-url 을 주었다면 그 서버가 실행 중인지 확인하세요
iam-timeout = { $what } 중 시간이 초과되었습니다. 네트워크 연결(또는 --endpoint-url 서버)을 확인하고 다시 시도하세요
iam-invalid-endpoint = 잘못된 엔드포인트 URL `{ $url }`: { $reason }. http://HOST:PORT 또는 https://HOST 형식을 쓰세요(예: --endpoint-url http://127.0.0.1:5000)
iam-invalid-description = 잘못된 액세스 키 설명: { $reason }. 글자, 숫자, 공백과 _ . : / = + - @ 로 256자까지 쓸 수 있습니다
iam-no-retirable-key = 사용자에게 이미 액세스 키가 2개 있고 어느 것도 자동으로 폐기할 수 없습니다: { $reason }. `--retire KEY_ID` 로 폐기할 키를 직접 고르세요(키: { $keys })
iam-unknown-retire-key = --retire { $key_id }: 사용자의 액세스 키가 아닙니다(사용자의 키: { $keys })
keys-retire-needs-terminal = 키를 폐기하려면 확인이 필요합니다: 터미널에서 실행하거나 --yes 를 주세요
serve-no-browser = labnote: 경고: 브라우저를 열 수 없습니다: { $reason }
serve-no-opener = labnote: 경고: { $opener } 을(를) 실행할 수 없습니다: { $reason }. URL 을 직접 여세요
