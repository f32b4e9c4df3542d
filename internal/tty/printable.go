package tty

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Printable returns s as a terminal should show it: what a terminal would
// act on instead of show is written as an escape. That is every control
// character but newline and tab (an ESC starts a sequence that can
// rewrite the screen or the window title), DEL, the C1 controls, the
// Unicode bidirectional controls (which reorder what follows them), and
// bytes that are not UTF-8. Profile names and values come from files that
// others write: awsenv passes every text it prints through here.
func Printable(s string) string {
	if plain(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f, bidi(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// plain reports whether s is printable ASCII, newlines and tabs only.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}

// bidi reports the Unicode bidirectional formatting characters.
func bidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// Cell is Printable for one cell of a table: tabs and newlines are
// escaped too, so that a value cannot shift the columns.
func Cell(s string) string {
	return cellEscapes.Replace(Printable(s))
}

var cellEscapes = strings.NewReplacer("\t", `\t`, "\n", `\n`)
