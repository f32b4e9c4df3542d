package picker

import (
	"time"
	"unicode"
	"unicode/utf8"
)

// keyKind is what a key does in the picker.
type keyKind int

const (
	keyRune       keyKind = iota // a character for the query
	keyEnter                     // choose
	keyCancel                    // Esc, Ctrl-C, Ctrl-G
	keyUp                        // Up, Ctrl-P, Ctrl-K
	keyDown                      // Down, Ctrl-N, Ctrl-J, Tab
	keyPageUp                    // PageUp
	keyPageDown                  // PageDown
	keyHome                      // Home
	keyEnd                       // End
	keyBackspace                 // Backspace, Ctrl-H
	keyDeleteWord                // Ctrl-W, Alt-Backspace
	keyClear                     // Ctrl-U
)

type key struct {
	kind keyKind
	r    rune // for keyRune
}

// escTimeout is how long a lone ESC waits for the rest of an escape
// sequence before it counts as the Esc key. A terminal sends a sequence in
// one write; over a slow ssh link the parts can arrive some milliseconds
// apart.
const escTimeout = 50 * time.Millisecond

// decoder turns the terminal's bytes into keys. Bytes that end in the
// middle of an escape sequence or a UTF-8 character wait for the next feed,
// or for flush when nothing more comes.
type decoder struct {
	buf []byte
}

// feed decodes p, after what an earlier feed left, and appends the keys to
// keys.
func (d *decoder) feed(keys []key, p []byte) []key {
	d.buf = append(d.buf, p...)
	keys, n := decode(keys, d.buf, false)
	d.buf = append(d.buf[:0], d.buf[n:]...)
	return keys
}

// pending reports whether bytes wait for more.
func (d *decoder) pending() bool { return len(d.buf) > 0 }

// flush decodes what waits as if nothing more will come: a lone ESC is the
// Esc key, an unfinished sequence or character is dropped.
func (d *decoder) flush(keys []key) []key {
	keys, _ = decode(keys, d.buf, true)
	d.buf = d.buf[:0]
	return keys
}

// decode decodes b into keys and returns how many bytes it used: all of
// them unless b ends in an unfinished sequence and final is false.
func decode(keys []key, b []byte, final bool) ([]key, int) {
	i := 0
	for i < len(b) {
		c := b[i]
		if c == 0x1b {
			k, n, ok := escape(b[i:], final)
			if n == 0 {
				return keys, i // wait for more
			}
			if ok {
				keys = append(keys, k)
			}
			i += n
			continue
		}
		if c < 0x20 || c == 0x7f {
			if k, ok := control(c); ok {
				keys = append(keys, k)
			}
			i++
			continue
		}
		if c < utf8.RuneSelf {
			keys = append(keys, key{kind: keyRune, r: rune(c)})
			i++
			continue
		}
		if !final && !utf8.FullRune(b[i:]) {
			return keys, i
		}
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && unicode.IsPrint(r) {
			keys = append(keys, key{kind: keyRune, r: r})
		}
		i += n
	}
	return keys, i
}

func control(c byte) (key, bool) {
	switch c {
	case '\r':
		return key{kind: keyEnter}, true
	case 0x03, 0x07: // Ctrl-C, Ctrl-G
		return key{kind: keyCancel}, true
	case 0x10, 0x0b: // Ctrl-P, Ctrl-K
		return key{kind: keyUp}, true
	// Ctrl-J is LF. In raw mode the Enter key sends CR, so LF is free.
	case 0x0e, '\n', '\t': // Ctrl-N, Ctrl-J, Tab
		return key{kind: keyDown}, true
	case 0x7f, 0x08: // Backspace (DEL, or Ctrl-H on some terminals)
		return key{kind: keyBackspace}, true
	case 0x17: // Ctrl-W
		return key{kind: keyDeleteWord}, true
	case 0x15: // Ctrl-U
		return key{kind: keyClear}, true
	}
	return key{}, false
}

// escape decodes the sequence that starts b (b[0] is ESC). It returns the
// bytes used, 0 when b may be the unfinished start of a sequence (unless
// final), and ok false for a sequence that means nothing here, which is
// skipped rather than typed into the query.
func escape(b []byte, final bool) (key, int, bool) {
	if len(b) == 1 {
		if final {
			return key{kind: keyCancel}, 1, true
		}
		return key{}, 0, false
	}
	switch b[1] {
	case '[':
		return csi(b, final)
	case 'O': // SS3: cursor keys in application mode
		if len(b) == 2 {
			if final {
				return key{}, 2, false
			}
			return key{}, 0, false
		}
		k, ok := finalKey(b[2], nil)
		return k, 3, ok
	case 0x1b:
		// ESC ESC: the first was the Esc key.
		return key{kind: keyCancel}, 1, true
	case 0x7f, 0x08: // Alt-Backspace
		return key{kind: keyDeleteWord}, 2, true
	}
	// Alt with a key: nothing here. A lone ESC followed by typing faster
	// than escTimeout lands here too; Esc would cancel, and so does this.
	return key{kind: keyCancel}, 1, true
}

// csi decodes ESC [ parameters intermediates final.
func csi(b []byte, final bool) (key, int, bool) {
	j := 2
	for j < len(b) && b[j] >= 0x30 && b[j] <= 0x3f {
		j++
	}
	params := b[2:j]
	for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
		j++
	}
	if j == len(b) {
		if final {
			return key{}, len(b), false
		}
		return key{}, 0, false
	}
	if b[j] < 0x40 || b[j] > 0x7e {
		// Not a sequence after all: drop ESC [ and what came with it.
		return key{}, j, false
	}
	k, ok := finalKey(b[j], params)
	return k, j + 1, ok
}

// finalKey maps the last byte of a CSI or SS3 sequence, with its
// parameters (modifiers such as ";5" are ignored).
func finalKey(c byte, params []byte) (key, bool) {
	switch c {
	case 'A':
		return key{kind: keyUp}, true
	case 'B':
		return key{kind: keyDown}, true
	case 'H':
		return key{kind: keyHome}, true
	case 'F':
		return key{kind: keyEnd}, true
	case 'M': // keypad Enter in application mode (ESC O M)
		return key{kind: keyEnter}, true
	case '~':
		n := 0
		for _, p := range params {
			if p < '0' || p > '9' {
				break
			}
			n = n*10 + int(p-'0')
			if n > 1000 {
				return key{}, false
			}
		}
		switch n {
		case 1, 7:
			return key{kind: keyHome}, true
		case 4, 8:
			return key{kind: keyEnd}, true
		case 5:
			return key{kind: keyPageUp}, true
		case 6:
			return key{kind: keyPageDown}, true
		}
	}
	return key{}, false
}
