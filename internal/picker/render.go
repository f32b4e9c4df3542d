package picker

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// columns are the widths of the list's columns, measured once over all
// items so that rows do not shift while filtering, and capped so one long
// name cannot push the others off the screen.
type columns struct {
	profile, account, role, region int
}

const (
	maxProfile = 40
	maxAccount = 32
	maxRole    = 56
	colGap     = 2
)

func measure(items []Item) columns {
	c := columns{profile: len("PROFILE"), account: len("ACCOUNT"), role: len("ROLE"), region: len("REGION")}
	for _, it := range items {
		c.profile = max(c.profile, textWidth(it.Profile))
		c.account = max(c.account, textWidth(accountText(it)))
		c.role = max(c.role, textWidth(roleText(it)))
		c.region = max(c.region, textWidth(it.Region))
	}
	c.profile = min(c.profile, maxProfile)
	c.account = min(c.account, maxAccount)
	c.role = min(c.role, maxRole)
	return c
}

// fit narrows the columns to a window limit columns wide: the role first
// (an ARN is long, and its account shows in the account column), then the
// profile, then the account, each to no less than 12 columns, 13 for the
// account (a 12-digit ID and "…"). What still does not fit is cut at the
// window's edge.
func (c columns) fit(limit int) columns {
	over := 2 + c.profile + c.account + c.role + c.region + 3*colGap - limit
	for _, col := range []struct {
		w   *int
		min int
	}{{&c.role, 12}, {&c.profile, 12}, {&c.account, 13}} {
		if over <= 0 {
			break
		}
		cut := min(over, max(*col.w-col.min, 0))
		*col.w -= cut
		over -= cut
	}
	return c
}

func accountText(it Item) string {
	switch {
	case it.SSOAccount == "":
		return it.Account
	case it.Account == "":
		return it.SSOAccount
	}
	return it.Account + " " + it.SSOAccount
}

func roleText(it Item) string {
	if it.Role == "" {
		return it.Kind
	}
	return it.Role
}

func textWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		c, size := displayAt(s, i)
		w += c.width
		i += size
	}
	return w
}

// SGR attributes; none are written without colour.
const (
	styleMatch  = "1;32"
	styleSel    = "1"
	styleMarker = "1;35"
	styleDim    = "2"
)

// line builds one row of the screen: text no wider than limit columns,
// with SGR attributes only where they change.
type line struct {
	b     strings.Builder
	used  int
	limit int
	color bool
	base  string // the row's own attribute, such as bold for the selection
	cur   string // the attribute in effect
	full  bool
}

func (l *line) setStyle(style string) {
	if !l.color {
		return
	}
	if l.base != "" {
		if style == "" {
			style = l.base
		} else {
			style = l.base + ";" + style
		}
	}
	if style == l.cur {
		return
	}
	l.b.WriteString("\x1b[0m")
	if style != "" {
		l.b.WriteString("\x1b[" + style + "m")
	}
	l.cur = style
}

// add writes text of width w, or nothing and marks the line full when it
// would not fit.
func (l *line) add(text string, w int, style string) bool {
	if l.full || l.used+w > l.limit {
		l.full = true
		return false
	}
	l.setStyle(style)
	l.b.WriteString(text)
	l.used += w
	return true
}

func (l *line) pad(to int) {
	for l.used < to && !l.full {
		l.add(" ", 1, "")
	}
}

func (l *line) String() string {
	if l.color && l.cur != "" {
		l.b.WriteString("\x1b[0m")
		l.cur = ""
	}
	return l.b.String()
}

// field writes s, whose bytes start at base in the item's haystack,
// highlighting the characters at the positions pos (haystack offsets,
// ascending), in at most width columns: a longer s ends in "…".
func (l *line) field(s string, base int, pos []int, width int) {
	total := textWidth(s)
	avail := width
	if total > width {
		avail = width - 1
	}
	l.cells(s, 0, base, pos, avail)
	if total > width {
		l.add("…", 1, styleDim)
	}
}

// fieldTail is field for values whose end tells them apart, role ARNs:
// a longer s starts with "…" and shows its end.
func (l *line) fieldTail(s string, base int, pos []int, width int) {
	total := textWidth(s)
	if total <= width {
		l.cells(s, 0, base, pos, width)
		return
	}
	if width <= 0 {
		return
	}
	skip, i := total-(width-1), 0
	for skip > 0 && i < len(s) {
		c, size := displayAt(s, i)
		skip -= c.width
		i += size
	}
	l.add("…", 1, styleDim)
	l.cells(s, i, base, pos, width-1)
}

// cells writes s from byte from on, in at most avail columns.
func (l *line) cells(s string, from, base int, pos []int, avail int) {
	start := l.used
	for i, size := from, 0; i < len(s); i += size {
		var c cell
		c, size = displayAt(s, i)
		if l.used-start+c.width > avail {
			break
		}
		for len(pos) > 0 && pos[0] < base+i {
			pos = pos[1:]
		}
		style := ""
		if c.esc {
			style = styleDim
		}
		if len(pos) > 0 && pos[0] == base+i {
			style = styleMatch
		}
		if !l.add(c.text, c.width, style) {
			return
		}
	}
}

// frame is what the picker shows: the prompt line, a header and the rows,
// no wider than the window, and where the cursor goes on the prompt line.
type frame struct {
	lines []string
	col   int
}

func (m *model) frame(width, height int, color bool) frame {
	// The last column stays empty: writing there makes some terminals wrap.
	limit := max(width-1, 1)
	rows := max(1, min(m.height, height-2))
	m.scroll(rows)
	var fr frame

	// Prompt, query (its end, if it does not fit) and the count, after
	// the query rather than at the window's edge: a line as wide as the
	// window would be reflowed into several by tmux and others when the
	// window narrows, above where the picker redraws.
	count := "  " + strconv.Itoa(len(m.matches)) + "/" + strconv.Itoa(len(m.f.items))
	p := &line{limit: limit, color: color}
	for i, size := 0, 0; i < len(m.prompt); i += size {
		var c cell
		c, size = displayAt(m.prompt, i)
		p.add(c.text, c.width, styleMarker)
	}
	query := string(m.query)
	room := max(limit-p.used-1, 0) // a column for the cursor
	for textWidth(query) > room {
		_, size := utf8.DecodeRuneInString(query)
		query = query[size:]
	}
	p.cells(query, 0, 0, nil, room)
	fr.col = p.used
	p.add(count, len(count), styleDim)
	fr.lines = append(fr.lines, p.String())

	c := m.cols.fit(limit)
	h := &line{limit: limit, color: color, base: styleDim}
	h.add("  ", 2, "")
	h.field("PROFILE", 0, nil, c.profile)
	h.pad(2 + c.profile + colGap)
	h.field("ACCOUNT", 0, nil, c.account)
	h.pad(2 + c.profile + c.account + 2*colGap)
	h.field("ROLE", 0, nil, c.role)
	h.pad(2 + c.profile + c.account + c.role + 3*colGap)
	h.field("REGION", 0, nil, limit)
	fr.lines = append(fr.lines, h.String())

	for r := range rows {
		i := m.top + r
		if i >= len(m.matches) {
			fr.lines = append(fr.lines, "")
			continue
		}
		fr.lines = append(fr.lines, m.row(m.matches[i].item, i == m.sel, limit, color))
	}
	return fr
}

func (m *model) row(item int32, selected bool, limit int, color bool) string {
	it := m.f.items[item]
	var pos []int
	if len(m.query) > 0 {
		pos = m.f.positions(item, string(m.query))
	}
	c := m.cols.fit(limit)
	l := &line{limit: limit, color: color}
	if selected {
		l.base = styleSel
		l.add("> ", 2, styleMarker)
	} else {
		l.add("  ", 2, "")
	}
	// Offsets of the fields in the haystack: profile, account, SSO
	// account, role, one space apart.
	account := len(it.Profile) + 1
	sso := account + len(it.Account) + 1
	role := sso + len(it.SSOAccount) + 1

	l.field(it.Profile, 0, pos, c.profile)
	l.pad(2 + c.profile + colGap)
	switch {
	case it.SSOAccount == "":
		l.field(it.Account, account, pos, c.account)
	case it.Account == "":
		l.field(it.SSOAccount, sso, pos, c.account)
	default:
		// Account ID, space, SSO name: contiguous in the haystack too.
		l.field(it.Account+" "+it.SSOAccount, account, pos, c.account)
	}
	l.pad(2 + c.profile + c.account + 2*colGap)
	if it.Role != "" {
		l.fieldTail(it.Role, role, pos, c.role)
	} else {
		l.field(it.Kind, -1<<30, nil, c.role)
	}
	if it.Region != "" {
		l.pad(2 + c.profile + c.account + c.role + 3*colGap)
		l.field(it.Region, -1<<30, nil, limit)
	}
	return l.String()
}

// screen draws frames inline below the cursor, fzf --height style, not
// on the alternate screen: it moves only relative to where it started,
// and always leaves the cursor on the first line.
type screen struct {
	w     io.Writer
	drawn bool
}

func (s *screen) draw(fr frame) {
	var b strings.Builder
	b.WriteString("\x1b[?25l\r")
	for i, l := range fr.lines {
		if i > 0 {
			// Raw mode turns output processing off: \n alone would not
			// return to the first column. At the bottom of the window it
			// scrolls, which makes room the first time.
			b.WriteString("\r\n")
		}
		b.WriteString(l)
		if i < len(fr.lines)-1 {
			b.WriteString("\x1b[K")
		}
	}
	// Clears the rest of the last line and any rows a shrunken window no
	// longer has room for.
	b.WriteString("\x1b[J")
	if n := len(fr.lines) - 1; n > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", n)
	}
	b.WriteString("\r")
	if fr.col > 0 {
		fmt.Fprintf(&b, "\x1b[%dC", fr.col)
	}
	b.WriteString("\x1b[?25h")
	io.WriteString(s.w, b.String())
	s.drawn = true
}

// erase removes what draw drew and leaves the cursor where the picker
// started, visible. The first line is cleared on its own and the rest from
// the line below: erasing to the end of the screen from its top left
// corner makes tmux (scroll-on-clear) keep the whole screen, list included,
// in its history.
func (s *screen) erase() {
	if !s.drawn {
		return
	}
	io.WriteString(s.w, "\r\x1b[0m\x1b[2K\x1b[B\x1b[J\x1b[A\x1b[?25h")
}
