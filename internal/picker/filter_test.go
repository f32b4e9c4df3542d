package picker

import (
	"slices"
	"testing"
)

func TestFilterRanking(t *testing.T) {
	items := []Item{
		{Profile: "staging-admin", Account: "222222222222"},
		{Profile: "admin", Account: "111111111111"},
		{Profile: "zeta", Role: "arn:aws:iam::333333333333:role/Admin"},
		{Profile: "bad-min", Account: "444444444444"},
		{Profile: "a-d-m-i-n-x"},
		{Profile: "aardvark", SSOAccount: "Admin Tools"},
		{Profile: "other"},
	}
	f := newFilter(items)
	profiles := func(hits []hit) []string {
		var out []string
		for _, h := range hits {
			out = append(out, items[h.item].Profile)
		}
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		// Prefix first; word starts (an acronym too) by name; contiguous;
		// scattered.
		{"admin", []string{"admin", "a-d-m-i-n-x", "aardvark", "staging-admin", "zeta", "bad-min"}},
		{"adm", []string{"admin", "a-d-m-i-n-x", "aardvark", "staging-admin", "zeta", "bad-min"}},
		{"3333", []string{"zeta"}},
		{"role/adm", []string{"zeta"}},
		{"", []string{"staging-admin", "admin", "zeta", "bad-min", "a-d-m-i-n-x", "aardvark", "other"}},
		{"zz", nil},
		// Backspace to a shorter query, then grow it again.
		{"ad", []string{"admin", "a-d-m-i-n-x", "aardvark", "staging-admin", "zeta", "bad-min"}},
		{"adx", []string{"a-d-m-i-n-x"}},
	}
	for _, tt := range tests {
		if got := profiles(f.set(tt.query)); !slices.Equal(got, tt.want) {
			t.Errorf("set(%q) = %q, want %q", tt.query, got, tt.want)
		}
	}
}
