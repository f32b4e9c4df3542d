package picker

import "testing"

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
