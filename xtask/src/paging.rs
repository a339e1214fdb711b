//! The pagination part of `cargo xtask corpus`: which list operations got a paginator, by shape,
//! and which looked paginated but were left out (the `--report` notes of `lower::pagination`).

use std::fmt::Write as _;

use codegen::ir::PageKind;
use codegen::Approx;

/// Paginated operations of one spec.
#[derive(Default)]
pub struct Paging {
    pub cursor: usize,
    pub offset: usize,
    pub page: usize,
    pub link: usize,
    /// Of those, declared by an extension.
    pub extension: usize,
    /// Looked paginated, no paginator (ambiguous or incomplete).
    pub left_out: usize,
    /// The first few operations of each shape, `fn_name (shape)`.
    pub examples: Vec<String>,
}

impl Paging {
    pub fn of(out: &codegen::Output) -> Self {
        let mut p = Paging::default();
        for op in &out.api.operations {
            let Some(pg) = &op.pagination else { continue };
            let n = match pg.kind {
                PageKind::Cursor { .. } => &mut p.cursor,
                PageKind::Offset { .. } => &mut p.offset,
                PageKind::Page { .. } => &mut p.page,
                PageKind::LinkHeader | PageKind::NextUrl { .. } => &mut p.link,
            };
            *n += 1;
            if *n <= 2 {
                p.examples.push(format!("`{}` ({})", op.fn_name, pg.kind.label()));
            }
            p.extension += usize::from(pg.extension.is_some());
        }
        p.left_out = out
            .notes
            .iter()
            .filter(|n| n.approx == Some(Approx::Pagination))
            .count();
        p
    }

    pub fn total(&self) -> usize {
        self.cursor + self.offset + self.page + self.link
    }
}

/// The table of specs with paginated (or nearly paginated) operations.
pub fn render<'a>(rows: impl Iterator<Item = (&'a str, &'a Paging)>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| spec | paginated | cursor | offset | page | Link header or next URL | from extensions | looked paginated, left out | examples |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut totals = Paging::default();
    let mut specs = 0;
    for (name, p) in rows {
        if p.total() == 0 && p.left_out == 0 {
            continue;
        }
        specs += usize::from(p.total() > 0);
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.total(),
            p.cursor,
            p.offset,
            p.page,
            p.link,
            p.extension,
            p.left_out,
            p.examples.join(", ")
        );
        totals.cursor += p.cursor;
        totals.offset += p.offset;
        totals.page += p.page;
        totals.link += p.link;
        totals.extension += p.extension;
        totals.left_out += p.left_out;
    }
    let _ = writeln!(
        out,
        "| **total ({specs} specs)** | {} | {} | {} | {} | {} | {} | {} | |",
        totals.total(),
        totals.cursor,
        totals.offset,
        totals.page,
        totals.link,
        totals.extension,
        totals.left_out
    );
    out
}
