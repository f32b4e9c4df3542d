package picker

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Rank orders matches, best first.
type Rank int

const (
	// RankPrefix: the pattern starts the profile name.
	RankPrefix Rank = iota
	// RankWordBoundary: every run of matched characters starts a word
	// ("pa" in "prod-admin", "admin" in "prod-admin").
	RankWordBoundary
	// RankContiguous: the pattern appears as it is ("dmin").
	RankContiguous
	// RankScattered: the pattern's characters appear in order.
	RankScattered
)

func (r Rank) String() string {
	switch r {
	case RankPrefix:
		return "prefix"
	case RankWordBoundary:
		return "word boundary"
	case RankContiguous:
		return "contiguous"
	case RankScattered:
		return "scattered"
	}
	return "Rank(" + strconv.Itoa(int(r)) + ")"
}

// Result is how a pattern matched.
type Result struct {
	Rank Rank
	// Positions are the byte offsets in the searched string of the matched
	// characters, ascending, one per character of the pattern. Each starts
	// a character as range over the string decodes it, so an invalid byte
	// is a character of its own.
	Positions []int
}

// Match reports whether pattern matches s as a case-insensitive
// subsequence, how well, and where. An empty pattern matches anything.
func Match(pattern, s string) (Result, bool) {
	var t target
	t.prepare(s, -1)
	var sc scratch
	rank, ok := t.match(fold(pattern), &sc, true)
	if !ok {
		return Result{}, false
	}
	return Result{Rank: rank, Positions: t.offsets(sc.pos)}, true
}

// target is a string prepared for matching many patterns.
type target struct {
	runes []rune  // folded
	off   []int32 // byte offset of each rune in the string
	bound []bool  // whether a word starts at each rune
	// prefix is how many runes the prefix rank may span (the profile
	// name's), or -1 for the whole string.
	prefix int
}

// scratch is reused between matches to avoid allocations; pos holds rune
// indexes into target.runes.
type scratch struct{ pos []int }

func (t *target) prepare(s string, prefix int) {
	t.runes = t.runes[:0]
	t.off = t.off[:0]
	t.bound = t.bound[:0]
	t.add(s, 0, -1)
	t.prefix = prefix
	if prefix < 0 || prefix > len(t.runes) {
		t.prefix = len(t.runes)
	}
}

// add appends s, whose bytes start at base in the searched string and
// follow the rune prev (-1 for none), and returns s's last rune.
func (t *target) add(s string, base int, prev rune) rune {
	for i := 0; i < len(s); i++ {
		// ASCII without the unicode tables: profile names nearly always
		// are, and 10,000 of them are prepared before the first key.
		c := s[i]
		if c >= utf8.RuneSelf {
			return t.addUnicode(s[i:], base+i, prev)
		}
		r := rune(c)
		lower := r
		if 'A' <= c && c <= 'Z' {
			lower += 'a' - 'A'
		}
		t.runes = append(t.runes, lower)
		t.off = append(t.off, int32(base+i))
		t.bound = append(t.bound, startsWord(prev, r))
		prev = r
	}
	return prev
}

func (t *target) addUnicode(s string, base int, prev rune) rune {
	for i, r := range s {
		t.runes = append(t.runes, foldRune(r))
		t.off = append(t.off, int32(base+i))
		t.bound = append(t.bound, startsWord(prev, r))
		prev = r
	}
	return prev
}

func (t *target) offsets(pos []int) []int {
	out := make([]int, len(pos))
	for i, p := range pos {
		out[i] = int(t.off[p])
	}
	return out
}

// match matches the folded pattern pat. With wantPos it leaves the
// positions of the rank's alignment in sc.pos.
func (t *target) match(pat []rune, sc *scratch, wantPos bool) (Rank, bool) {
	sc.pos = sc.pos[:0]
	if len(pat) == 0 {
		return RankPrefix, true
	}
	if !t.subsequence(pat) {
		return 0, false
	}
	if len(pat) <= t.prefix && hasPrefix(t.runes, pat) {
		if wantPos {
			sc.pos = appendRange(sc.pos, 0, len(pat))
		}
		return RankPrefix, true
	}
	// A contiguous occurrence that starts a word.
	first := -1
	for i := index(t.runes, pat, 0); i >= 0; i = index(t.runes, pat, i+1) {
		if first < 0 {
			first = i
		}
		if t.bound[i] {
			if wantPos {
				sc.pos = appendRange(sc.pos, i, i+len(pat))
			}
			return RankWordBoundary, true
		}
	}
	if t.wordRuns(pat, sc) {
		return RankWordBoundary, true
	}
	if first >= 0 {
		if wantPos {
			sc.pos = appendRange(sc.pos[:0], first, first+len(pat))
		}
		return RankContiguous, true
	}
	if wantPos {
		t.compact(pat, sc)
	}
	return RankScattered, true
}

func (t *target) subsequence(pat []rune) bool {
	i := 0
	for _, r := range t.runes {
		if r == pat[i] {
			i++
			if i == len(pat) {
				return true
			}
		}
	}
	return false
}

// wordRuns looks for an alignment whose runs all start words, greedily:
// it extends a run while it can, else jumps to the next word that starts
// with the wanted character. Greedy can miss an alignment a search would
// find; that only costs rank, never a match.
func (t *target) wordRuns(pat []rune, sc *scratch) bool {
	sc.pos = sc.pos[:0]
	j := 0
	for i, r := range pat {
		if i > 0 && j < len(t.runes) && t.runes[j] == r {
			sc.pos = append(sc.pos, j)
			j++
			continue
		}
		for j < len(t.runes) && !(t.bound[j] && t.runes[j] == r) {
			j++
		}
		if j == len(t.runes) {
			sc.pos = sc.pos[:0]
			return false
		}
		sc.pos = append(sc.pos, j)
		j++
	}
	return true
}

// compact finds the leftmost end of a scattered match, then walks back
// from it, so the highlighted characters sit close together.
func (t *target) compact(pat []rune, sc *scratch) {
	end, i := 0, 0
	for j, r := range t.runes {
		if r == pat[i] {
			i++
			if i == len(pat) {
				end = j
				break
			}
		}
	}
	n := len(pat)
	sc.pos = sc.pos[:0]
	for range n {
		sc.pos = append(sc.pos, 0)
	}
	i = n - 1
	for j := end; i >= 0; j-- {
		if t.runes[j] == pat[i] {
			sc.pos[i] = j
			i--
		}
	}
}

func appendRange(pos []int, from, to int) []int {
	for i := from; i < to; i++ {
		pos = append(pos, i)
	}
	return pos
}

func hasPrefix(s, prefix []rune) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i, r := range prefix {
		if s[i] != r {
			return false
		}
	}
	return true
}

// index returns the first index at or after from where sub occurs in s,
// or -1. Patterns are typed by hand, so the naive search is enough.
func index(s, sub []rune, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i] != sub[0] {
			continue
		}
		if hasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// fold returns the runes of s, case-folded for comparison.
func fold(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, foldRune(r))
	}
	return out
}

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	// Through upper case first, so that ſ and K (Kelvin) meet s and k.
	return unicode.ToLower(unicode.ToUpper(r))
}

// startsWord reports whether r, after prev (-1 at the start), begins a
// word: after a separator such as - _ . / : or space, or a camelCase hump.
func startsWord(prev, r rune) bool {
	if prev < 0 {
		return true
	}
	if !isWordRune(prev) {
		return isWordRune(r)
	}
	if prev < utf8.RuneSelf && r < utf8.RuneSelf {
		return 'a' <= prev && prev <= 'z' && 'A' <= r && r <= 'Z'
	}
	return unicode.IsLower(prev) && unicode.IsUpper(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
