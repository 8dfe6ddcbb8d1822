//! A list's data rows, stored flat: every cell's text in one buffer, and where each cell and
//! each row ends. A million-letter manifest is eleven million cells; as a `String` each they
//! were eleven million allocations, the largest cost of building the list.

use std::fmt;

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// Every cell's text, one after another.
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<usize>,
    /// Where each row ends in `cell_ends`.
    row_ends: Vec<usize>,
}

/// One row: a run of cells in [`Rows`].
#[derive(Clone, Copy)]
pub struct Row<'a> {
    rows: &'a Rows,
    first: usize,
    end: usize,
}

impl Rows {
    /// Room for `rows` rows of `width` cells of about `cell_bytes` bytes each.
    pub fn with_capacity(rows: usize, width: usize, cell_bytes: usize) -> Self {
        let cells = rows.saturating_mul(width);
        Rows {
            text: String::with_capacity(cells.saturating_mul(cell_bytes)),
            cell_ends: Vec::with_capacity(cells),
            row_ends: Vec::with_capacity(rows),
        }
    }

    /// Append one row.
    pub fn push<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for cell in cells {
            self.text.push_str(cell.as_ref());
            self.cell_ends.push(self.text.len());
        }
        self.row_ends.push(self.cell_ends.len());
    }

    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// How many bytes of text the rows in `rows` hold (what rendering them starts from).
    pub fn text_bytes(&self, rows: std::ops::Range<usize>) -> usize {
        let (start, end) = self.clamp(rows);
        self.text_before(self.cells_before(end)) - self.text_before(self.cells_before(start))
    }

    /// How many cells the rows in `rows` hold.
    pub fn cells(&self, rows: std::ops::Range<usize>) -> usize {
        let (start, end) = self.clamp(rows);
        self.cells_before(end) - self.cells_before(start)
    }

    /// `rows` within `0..len()`, its start at most its end.
    fn clamp(&self, rows: std::ops::Range<usize>) -> (usize, usize) {
        let end = rows.end.min(self.len());
        (rows.start.min(end), end)
    }

    /// How many cells the rows before row `row` (at most `len()`) hold.
    fn cells_before(&self, row: usize) -> usize {
        row.checked_sub(1).map_or(0, |last| self.row_ends[last])
    }

    /// Where cell `cell` (at most the number of cells) starts in `text`.
    fn text_before(&self, cell: usize) -> usize {
        cell.checked_sub(1).map_or(0, |last| self.cell_ends[last])
    }

    pub fn get(&self, index: usize) -> Option<Row<'_>> {
        (index < self.len()).then(|| self.row(index))
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Row<'_>> {
        (0..self.len()).map(|index| self.row(index))
    }

    /// Row `index`, which is below `len()`.
    fn row(&self, index: usize) -> Row<'_> {
        Row {
            rows: self,
            first: self.cells_before(index),
            end: self.row_ends[index],
        }
    }

    fn cell(&self, index: usize) -> &str {
        &self.text[self.text_before(index)..self.cell_ends[index]]
    }
}

impl<'a> Row<'a> {
    /// How many cells the row has.
    pub fn len(&self) -> usize {
        self.end - self.first
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.first
    }

    pub fn get(&self, column: usize) -> Option<&'a str> {
        (column < self.len()).then(|| self.rows.cell(self.first + column))
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let rows = self.rows;
        (self.first..self.end).map(move |index| rows.cell(index))
    }
}

impl<S: AsRef<str>, R: IntoIterator<Item = S>> FromIterator<R> for Rows {
    fn from_iter<I: IntoIterator<Item = R>>(rows: I) -> Self {
        let mut out = Rows::default();
        for row in rows {
            out.push(row);
        }
        out
    }
}

impl fmt::Debug for Rows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|row| row.iter().collect::<Vec<_>>()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_cells_and_widths_including_empty_ones() {
        let mut rows: Rows = [vec!["12", "", "山田"], vec![]].into_iter().collect();
        rows.push(["", ""]);
        assert_eq!(rows.len(), 3);
        let cells = |i: usize| rows.get(i).map(|r| r.iter().collect::<Vec<_>>());
        assert_eq!(cells(0), Some(vec!["12", "", "山田"]));
        assert_eq!(cells(1), Some(vec![]));
        assert_eq!(cells(2), Some(vec!["", ""]));
        assert_eq!(cells(3), None);
        let first = rows.get(0).expect("row 0");
        assert_eq!(
            (first.len(), first.get(2), first.get(3)),
            (3, Some("山田"), None)
        );
        assert!(rows.get(1).expect("row 1").is_empty());
        assert_eq!(rows.iter().map(|r| r.len()).collect::<Vec<_>>(), [3, 0, 2]);
        assert_eq!(format!("{rows:?}"), r#"[["12", "", "山田"], [], ["", ""]]"#);
    }

    #[test]
    fn text_bytes_and_cells_count_the_rows_of_a_range() {
        let rows: Rows = [vec!["12", "", "山田"], vec![], vec!["", "x"], vec!["abc"]]
            .into_iter()
            .collect();
        let both = |r: std::ops::Range<usize>| (rows.text_bytes(r.clone()), rows.cells(r));
        assert_eq!(both(0..4), (2 + 6 + 1 + 3, 6));
        assert_eq!(both(0..1), (8, 3));
        assert_eq!(both(1..2), (0, 0), "a row without cells");
        assert_eq!(both(1..3), (1, 2), "a row of an empty cell and x");
        assert_eq!(both(3..4), (3, 1));
        assert_eq!(both(2..2), (0, 0));
        assert_eq!(both(3..9), (3, 1), "past the end: to the end");
        assert_eq!(Rows::default().text_bytes(0..3), 0);
    }
}
