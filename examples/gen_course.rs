//! Generate a course of N labs (default 2,000, about 10 KB each: about 20 MB) for the benchmarks:
//! `cargo run --release --example gen_course -- DIR [N]`.
use std::fmt::Write as _;

fn lab(day: usize, no: usize, crlf: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {day}일차 - Lab {no}. 생성된 실습 {day}-{no}\n");
    let _ = writeln!(s, "ⓘ 실습목표 : 벤치마크용 실습\n\n---\n");
    for i in 1..=5 {
        let _ = writeln!(s, "- [{i}. 단계](#✔-{i}.-단계)");
    }
    let _ = writeln!(s, "\n---\n\n> **📌 [실습 중 메모사항]**\n>\n> ➕ _<< AWS Access Key ID>>_ :  \n>  ➕ _<< AWS Secret Access key>>_ :\n\n<br>\n");
    for i in 1..=5 {
        let _ = writeln!(s, "## 🔴 {i}. 단계 {i}\n");
        for j in 1..=3 {
            let _ = writeln!(s, "### ✔ {i}-{j}. 세부 단계 `step-{j}`\n");
            let _ = writeln!(s, "- AWS 콘솔에서 `IAM` 서비스로 이동한 후 <<발급받은 Access Key>> 를 입력한다.<br>\n  자세한 내용은 아래를 참고한다.\n");
            let _ = writeln!(s, "```bash\naws sts get-caller-identity --profile <<자신의 git name>>\ncat << EOF > app-{i}-{j}.yaml\nname: app\nEOF\n```\n");
            let _ = writeln!(s, "> | 항목 | 내용 | 액션 |\n> | --- | --- | --- |\n> | ➕ Name | `network-<<gitopsconsole_ID>>-<<YYMMDD>>` | 🧲복사 & 📋붙여넣기 |\n");
            let _ = writeln!(s, "<details>\n<summary> 😎 [참고 - 펼치기👇] 참고 </summary>\n\n- 참고 내용\n\n![](../images/{i}{j}.png)\n\n</details>\n\n<br>\n");
        }
    }
    if crlf {
        s.replace('\n', "\r\n")
    } else {
        s
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: gen_course DIR [N]"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2000);
    let mut total = 0;
    for k in 0..n {
        let day = k / 20 + 1;
        let no = k % 20 + 1;
        let sub = dir.join(format!("day{day:03}"));
        std::fs::create_dir_all(&sub).expect("create folder");
        let text = lab(day, no, k % 2 == 0);
        total += text.len();
        std::fs::write(sub.join(format!("lab{no:02}.md")), text).expect("write lab");
    }
    println!("{n} labs, {total} bytes");
}
