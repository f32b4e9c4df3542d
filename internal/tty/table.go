package tty

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// WriteTable writes rows as columns padded with spaces to the widest cell
// of each, two spaces apart; the last column is not padded. Cells must be
// single-line and printable (Cell). It is text/tabwriter for the one case
// awsenv has, in one pass and one write: `awsenv list` prints ten
// thousand rows for an SSO-generated config.
func WriteTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			if n := utf8.RuneCountInString(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	b := bufio.NewWriterSize(w, 64<<10)
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	return b.Flush()
}
