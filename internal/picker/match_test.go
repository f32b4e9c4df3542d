package picker

import (
	"slices"
	"testing"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		ok         bool
		rank       Rank
		positions  []int
	}{
		{"", "anything", true, RankPrefix, []int{}},
		{"prod", "prod-admin", true, RankPrefix, []int{0, 1, 2, 3}},
		{"PROD", "prod-admin", true, RankPrefix, []int{0, 1, 2, 3}},
		{"prod", "Prod-Admin", true, RankPrefix, []int{0, 1, 2, 3}},
		{"admin", "prod-admin", true, RankWordBoundary, []int{5, 6, 7, 8, 9}},
		{"pa", "prod-admin", true, RankWordBoundary, []int{0, 5}},
		{"padm", "prod-admin", true, RankWordBoundary, []int{0, 5, 6, 7}},
		{"ba", "fooBar", true, RankWordBoundary, []int{3, 4}},
		{"dmin", "prod-admin", true, RankContiguous, []int{6, 7, 8, 9}},
		{"9012", "dev 123456789012", true, RankContiguous, []int{12, 13, 14, 15}},
		{"rdmn", "prod-admin", true, RankScattered, []int{1, 6, 7, 9}},
		// The backward pass keeps the highlight compact: the a next to
		// the c, not the one at 0.
		{"ac", "a-xabc", true, RankScattered, []int{3, 5}},
		{"xb", "xa-xb", true, RankWordBoundary, []int{3, 4}},
		{"ab", "a---xab", true, RankContiguous, []int{5, 6}},
		{"nope", "prod-admin", false, 0, nil},
		{"x", "", false, 0, nil},
		// Byte offsets, not rune indexes.
		{"é", "café", true, RankContiguous, []int{3}},
		{"ü", "Müller", true, RankContiguous, []int{1}},
		{"K", "\u212a", true, RankPrefix, []int{0}}, // Kelvin sign folds to k
		// An invalid byte is one character; the pattern's U+FFFD matches it.
		{"a\xffb", "a\xffb", true, RankPrefix, []int{0, 1, 2}},
		{"b", "\xff\xfeb", true, RankWordBoundary, []int{2}},
		// A space steps from one field to the next.
		{"prod 1234", "prod 123456789012  Admin", true, RankPrefix, []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
	}
	for _, tt := range tests {
		got, ok := Match(tt.pattern, tt.s)
		if ok != tt.ok {
			t.Errorf("Match(%q, %q) ok = %v, want %v", tt.pattern, tt.s, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if got.Rank != tt.rank || !slices.Equal(got.Positions, tt.positions) {
			t.Errorf("Match(%q, %q) = rank %d at %v, want rank %d at %v", tt.pattern, tt.s, got.Rank, got.Positions, tt.rank, tt.positions)
		}
	}
}
