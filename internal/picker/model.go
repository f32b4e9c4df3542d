package picker

import "strings"

// model is the picker's state, apart from the terminal.
type model struct {
	f       *filter
	prompt  string
	query   []rune
	matches []hit
	sel     int // index in matches
	top     int // first match shown
	height  int // most list rows
	cols    columns
}

type outcome int

const (
	going outcome = iota
	chosen
	cancelled
)

func newModel(items []Item, opts Options) *model {
	m := &model{f: newFilter(items), prompt: opts.Prompt, height: opts.Height}
	if m.prompt == "" {
		m.prompt = "profile> "
	}
	if m.height <= 0 {
		m.height = 10
	}
	m.height = min(m.height, len(items))
	m.cols = measure(items)
	m.query = []rune(opts.Query)
	m.refilter()
	return m
}

func (m *model) refilter() {
	m.matches = m.f.set(string(m.query))
	m.sel, m.top = 0, 0
}

func (m *model) selected() Item { return m.f.items[m.matches[m.sel].item] }

// handle applies one key.
func (m *model) handle(k key) outcome {
	switch k.kind {
	case keyRune:
		m.query = append(m.query, k.r)
		m.refilter()
	case keyBackspace:
		if len(m.query) > 0 {
			m.query = m.query[:len(m.query)-1]
			m.refilter()
		}
	case keyDeleteWord:
		q := strings.TrimRight(string(m.query), " ")
		q = q[:strings.LastIndexByte(q, ' ')+1]
		m.query = []rune(q)
		m.refilter()
	case keyClear:
		m.query = m.query[:0]
		m.refilter()
	case keyUp:
		m.move(-1)
	case keyDown:
		m.move(1)
	case keyPageUp:
		m.move(-m.height)
	case keyPageDown:
		m.move(m.height)
	case keyHome:
		m.move(-len(m.matches))
	case keyEnd:
		m.move(len(m.matches))
	case keyEnter:
		if len(m.matches) > 0 {
			return chosen
		}
	case keyCancel:
		return cancelled
	}
	return going
}

func (m *model) move(by int) {
	m.sel = max(0, min(m.sel+by, len(m.matches)-1))
}

// scroll keeps the selection among the rows shown.
func (m *model) scroll(rows int) {
	if m.sel < m.top {
		m.top = m.sel
	}
	if m.sel >= m.top+rows {
		m.top = m.sel - rows + 1
	}
	m.top = max(0, min(m.top, len(m.matches)-rows))
}
