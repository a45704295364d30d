# labnote's messages in English. Every key here must also be in i18n/ko/labnote.ftl
# (`cargo test --lib i18n` checks). Keys are grouped by the module that uses them.

## course.rs
course-no-folder = course folder { $path } does not exist or is not a folder; pass --course DIR or set LABNOTE_COURSE
course-unknown-lab = no lab matches '{ $arg }'
course-ambiguous-lab = '{ $arg }' matches several labs; name one of: { $labs }
course-no-labs = ; the course has no labs (markdown files with step headings)
course-labs-are = ; the labs are: { $labs }
