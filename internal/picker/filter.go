package picker

import (
	"cmp"
	"slices"
	"strings"
)

// filter holds the items prepared for matching and the results of the
// query typed so far, one level per query that led to it, so that typing
// searches only what the previous query matched and Backspace is free.
type filter struct {
	items   []Item
	targets []target
	levels  []level
	sc      scratch
	// byName[i] is item i's place in profile-name order, computed at the
	// first query so that a pick with the arrows alone never pays for it.
	byName []uint32
}

type level struct {
	query   string
	matches []hit
}

// hit is an item that matched: its index in items, and key, which orders
// hits: the rank, then the place in name order. Sorting integers rather
// than comparing names halves the time per key.
type hit struct {
	item int32
	key  uint64
}

// The haystack is what a query is matched against: the searchable
// fields, profile first, one space apart, so a space in the query can step
// from one field to the next. Region and kind are not searched: "eu" would
// match half of any list.
func haystackFields(it Item) [4]string {
	return [4]string{it.Profile, it.Account, it.SSOAccount, it.Role}
}

func newFilter(items []Item) *filter {
	f := &filter{items: items, targets: make([]target, len(items))}
	// All targets share one array of each kind, sized so that appending
	// never moves it: 10,000 items make three allocations, not 30,000.
	total := 0
	for _, it := range items {
		for _, s := range haystackFields(it) {
			total += len(s) + 1
		}
	}
	pool := target{runes: make([]rune, 0, total), off: make([]int32, 0, total), bound: make([]bool, 0, total)}
	for i, it := range items {
		start := len(pool.runes)
		base, prev, prefix := 0, rune(-1), 0
		for k, s := range haystackFields(it) {
			if k > 0 {
				prev = pool.add(" ", base, prev)
				base++
			}
			prev = pool.add(s, base, prev)
			base += len(s)
			if k == 0 {
				prefix = len(pool.runes) - start
			}
		}
		end := len(pool.runes)
		f.targets[i] = target{runes: pool.runes[start:end:end], off: pool.off[start:end:end], bound: pool.bound[start:end:end], prefix: prefix}
	}
	all := make([]hit, len(items))
	for i := range all {
		all[i] = hit{item: int32(i)}
	}
	f.levels = []level{{query: "", matches: all}}
	return f
}

// set filters for query and returns the matches, best first. The empty
// query keeps the caller's order.
func (f *filter) set(query string) []hit {
	for len(f.levels) > 1 && !strings.HasPrefix(query, f.levels[len(f.levels)-1].query) {
		f.levels = f.levels[:len(f.levels)-1]
	}
	top := f.levels[len(f.levels)-1]
	if top.query == query {
		return top.matches
	}
	if f.byName == nil {
		f.sortNames()
	}
	pat := fold(query)
	matches := make([]hit, 0, len(top.matches))
	for _, h := range top.matches {
		if rank, ok := f.targets[h.item].match(pat, &f.sc, false); ok {
			key := uint64(rank)<<32 | uint64(f.byName[h.item])
			matches = append(matches, hit{item: h.item, key: key})
		}
	}
	slices.SortFunc(matches, func(a, b hit) int { return cmp.Compare(a.key, b.key) })
	f.levels = append(f.levels, level{query: query, matches: matches})
	return matches
}

func (f *filter) sortNames() {
	order := make([]int32, len(f.items))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return strings.Compare(f.items[a].Profile, f.items[b].Profile)
	})
	f.byName = make([]uint32, len(f.items))
	for place, i := range order {
		f.byName[i] = uint32(place)
	}
}

// positions returns the byte offsets in the item's haystack of the
// characters query matched, for highlighting.
func (f *filter) positions(item int32, query string) []int {
	t := &f.targets[item]
	if _, ok := t.match(fold(query), &f.sc, true); !ok {
		return nil
	}
	return t.offsets(f.sc.pos)
}
