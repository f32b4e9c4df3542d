package picker

import (
	"testing"
	"unicode/utf8"
)

// FuzzMatch checks, for any pattern and string, valid UTF-8 or not, that
// Match does not panic and that its positions index s correctly: one per
// pattern character, ascending, each the start of a character of s that
// folds to the pattern's character.
func FuzzMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"prod", "prod-admin 123456789012 Production arn:aws:iam::123456789012:role/Admin"},
		{"pa", "prod-admin"},
		{"ac", "a-xabc"},
		{"k", "\u212a"},
		{"\xff", "a\xffb\xfe"},
		{"é", "caf\u0065\u0301 café"},
		{"a b", "a  b"},
		{"", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		r, ok := Match(pattern, s)
		if !ok {
			return
		}
		pat := fold(pattern)
		if len(r.Positions) != len(pat) {
			t.Fatalf("Match(%q, %q): %d positions for %d characters", pattern, s, len(r.Positions), len(pat))
		}
		starts := map[int]rune{}
		for i, c := range s {
			starts[i] = c
		}
		prev := -1
		for k, p := range r.Positions {
			if p <= prev || p >= len(s) {
				t.Fatalf("Match(%q, %q): positions %v not ascending within the string", pattern, s, r.Positions)
			}
			c, isStart := starts[p]
			if !isStart {
				t.Fatalf("Match(%q, %q): position %d is inside a character", pattern, s, p)
			}
			if foldRune(c) != pat[k] {
				t.Fatalf("Match(%q, %q): position %d holds %q, not the pattern's %q", pattern, s, p, c, pat[k])
			}
			prev = p
		}
		if r.Rank < RankPrefix || r.Rank > RankScattered {
			t.Fatalf("Match(%q, %q): rank %d", pattern, s, r.Rank)
		}
		if r.Rank == RankPrefix && len(pat) > 0 && r.Positions[0] != 0 {
			t.Fatalf("Match(%q, %q): prefix rank at %v", pattern, s, r.Positions)
		}
	})
}

// FuzzFrame checks that whatever the names hold, a drawn row is valid
// UTF-8, holds no control character (without colour: no escape sequence
// at all) and fits the window.
func FuzzFrame(f *testing.F) {
	f.Add("prod", "123456789012", "arn:aws:iam::123456789012:role/Admin", "Production", "eu-west-1", "9012", 80)
	f.Add("evil\x1b]0;t\x07\x1b[2J", "\r\n", "\u202e\u200b", "日本語", "\xff\xfe", "\x1b", 20)
	f.Add("e\u0301\u0301", "", "", "", "", "e", 3)
	f.Fuzz(func(t *testing.T, profile, account, role, ssoAccount, region, query string, width int) {
		width = 1 + abs(width)%300
		items := []Item{{Profile: profile, Account: account, Role: role, SSOAccount: ssoAccount, Region: region}, {Profile: "x"}}
		m := newModel(items, Options{Query: query})
		for _, l := range m.frame(width, 24, false).lines {
			if !utf8.ValidString(l) {
				t.Fatalf("invalid UTF-8 drawn: %q", l)
			}
			for _, r := range l {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("control character %U drawn: %q", r, l)
				}
			}
			if w := textWidth(l); w > max(width-1, 1) {
				t.Fatalf("%d columns drawn in a window %d wide: %q", w, width, l)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
