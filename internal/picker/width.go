package picker

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// cell is how one character of data shows: the text to write and the
// columns it takes.
type cell struct {
	text  string
	width int
	esc   bool // an escape standing for an unprintable character
}

// displayAt returns how the character that starts at s[i] shows, and its
// size in bytes.
func displayAt(s string, i int) (cell, int) {
	r, size := utf8.DecodeRuneInString(s[i:])
	return display(s, i, r, size), size
}

// display returns how the character r, which took size bytes of s at i,
// shows. Names come from files others write: control characters, bidi
// overrides and invalid bytes are shown escaped, never written raw.
func display(s string, i int, r rune, size int) cell {
	if r == utf8.RuneError && size == 1 {
		return escaped(fmt.Sprintf(`\x%02x`, s[i]))
	}
	switch r {
	case '\t':
		return escaped(`\t`)
	case '\n':
		return escaped(`\n`)
	case '\r':
		return escaped(`\r`)
	}
	if r == ' ' || unicode.IsPrint(r) {
		return cell{text: s[i : i+size], width: runeWidth(r)}
	}
	switch {
	case r < 0x80:
		return escaped(fmt.Sprintf(`\x%02x`, r))
	case r <= 0xffff:
		return escaped(fmt.Sprintf(`\u%04x`, r))
	}
	return escaped(fmt.Sprintf(`\U%08x`, r))
}

func escaped(s string) cell { return cell{text: s, width: len(s), esc: true} }

// runeWidth is the columns a printable character takes: 0 for combining
// marks, 2 for East Asian wide and full-width characters and the emoji
// terminals draw wide, 1 otherwise (ambiguous ones included, as most
// terminals draw them outside CJK locales). The table is the large blocks
// of Unicode's EastAsianWidth W and F, not every single code point.
func runeWidth(r rune) int {
	if r < 0x300 {
		return 1
	}
	if unicode.In(r, unicode.Mn, unicode.Me) || r == 0x200b {
		return 0
	}
	for _, w := range wide {
		if r < w.lo {
			return 1
		}
		if r <= w.hi {
			return 2
		}
	}
	return 1
}

var wide = []struct{ lo, hi rune }{
	{0x1100, 0x115f},   // Hangul Jamo initials
	{0x231a, 0x231b},   // watch, hourglass
	{0x2329, 0x232a},   // angle brackets
	{0x23e9, 0x23ec},   // media symbols
	{0x23f0, 0x23f0},   // alarm clock
	{0x23f3, 0x23f3},   // hourglass
	{0x25fd, 0x25fe},   // small squares
	{0x2614, 0x2615},   // umbrella, hot beverage
	{0x2648, 0x2653},   // zodiac
	{0x267f, 0x267f},   // wheelchair
	{0x2693, 0x2693},   // anchor
	{0x26a1, 0x26a1},   // high voltage
	{0x26aa, 0x26ab},   // circles
	{0x26bd, 0x26be},   // balls
	{0x26c4, 0x26c5},   // snowman, sun
	{0x26ce, 0x26ce},   // ophiuchus
	{0x26d4, 0x26d4},   // no entry
	{0x26ea, 0x26ea},   // church
	{0x26f2, 0x26f3},   // fountain, golf
	{0x26f5, 0x26f5},   // sailboat
	{0x26fa, 0x26fa},   // tent
	{0x26fd, 0x26fd},   // fuel pump
	{0x2705, 0x2705},   // check mark
	{0x270a, 0x270b},   // fists
	{0x2728, 0x2728},   // sparkles
	{0x274c, 0x274c},   // cross mark
	{0x274e, 0x274e},   // cross mark
	{0x2753, 0x2755},   // question marks
	{0x2757, 0x2757},   // exclamation mark
	{0x2795, 0x2797},   // plus, minus, division
	{0x27b0, 0x27b0},   // curly loop
	{0x27bf, 0x27bf},   // double curly loop
	{0x2b1b, 0x2b1c},   // large squares
	{0x2b50, 0x2b50},   // star
	{0x2b55, 0x2b55},   // circle
	{0x2e80, 0x303e},   // CJK radicals, punctuation
	{0x3041, 0x33ff},   // kana, CJK symbols
	{0x3400, 0x4dbf},   // CJK extension A
	{0x4e00, 0x9fff},   // CJK unified ideographs
	{0xa000, 0xa4cf},   // Yi
	{0xa960, 0xa97f},   // Hangul Jamo extended A
	{0xac00, 0xd7a3},   // Hangul syllables
	{0xf900, 0xfaff},   // CJK compatibility ideographs
	{0xfe10, 0xfe19},   // vertical forms
	{0xfe30, 0xfe6f},   // CJK compatibility forms, small forms
	{0xff00, 0xff60},   // full-width forms
	{0xffe0, 0xffe6},   // full-width signs
	{0x16fe0, 0x16fe4}, // ideographic symbols
	{0x17000, 0x18cff}, // Tangut, Khitan
	{0x1b000, 0x1b2ff}, // kana supplement, Nushu
	{0x1f004, 0x1f004}, // mahjong tile
	{0x1f0cf, 0x1f0cf}, // joker
	{0x1f18e, 0x1f18e}, // AB button
	{0x1f191, 0x1f19a}, // squared words
	{0x1f200, 0x1f2ff}, // enclosed ideographs
	{0x1f300, 0x1f64f}, // pictographs, emoticons
	{0x1f680, 0x1f6ff}, // transport and map
	{0x1f7e0, 0x1f7eb}, // coloured circles and squares
	{0x1f900, 0x1f9ff}, // supplemental pictographs
	{0x1fa70, 0x1faff}, // symbols and pictographs extended A
	{0x20000, 0x3fffd}, // CJK extensions B and beyond
}
