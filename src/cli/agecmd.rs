//! `memo rekey`, printed: the use case is [`crate::app::memo::rekey`].
//!
//! `rekey` is sops' `updatekeys`: after a recipient is added to (or removed from)
//! recipients.txt, every secret of the course is encrypted again to the identity and the
//! current recipients. Each lab file is rewritten once, atomically; every secret is
//! decrypted before the first file is touched, so a value we cannot read stops the command
//! with nothing changed.

use super::{CmdResult, Ctx};
use crate::t;

pub fn rekey(ctx: &Ctx, lab_arg: Option<&str>) -> CmdResult {
    let course = ctx.open_course()?;
    let sel = crate::app::selected(&course, lab_arg)?;
    let done = crate::app::memo::rekey(ctx, &course, &sel)?;
    let mut total = 0;
    for &(k, n) in &done.labs {
        let cl = &course.labs[k];
        ctx.note(&t!(
            "agecmd-rekeyed-lab",
            count = n,
            lab = cl.lab.id,
            path = cl.rel_path
        ));
        total += n;
    }
    ctx.note(&t!(
        "agecmd-rekeyed-total",
        count = total,
        recipients = done.recipients.len(),
        keys = done.recipients.join(", ")
    ));
    Ok(())
}
