# labnote의 한국어 메시지. 여기의 모든 키는 i18n/en/labnote.ftl 에도 있어야 합니다
# (`cargo test --lib i18n` 이 확인합니다). id, 경로, 명령은 번역하지 않습니다.

## course.rs
course-no-folder = 코스 폴더 { $path } 이(가) 없거나 폴더가 아닙니다. --course DIR 을 주거나 LABNOTE_COURSE 를 설정하세요
course-unknown-lab = '{ $arg }' 에 해당하는 실습이 없습니다
course-ambiguous-lab = '{ $arg }' 에 해당하는 실습이 여러 개입니다. 다음 중 하나를 지정하세요: { $labs }
course-no-labs = . 이 코스에는 실습(단계 제목이 있는 마크다운 파일)이 없습니다
course-labs-are = . 실습 목록: { $labs }
