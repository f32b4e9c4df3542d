// Package picker lets the person at the terminal choose a profile. It
// reads keys from and draws on the controlling terminal (package tty),
// never stdin or stdout, which belong to `eval "$(awsenv use)"`: a
// cancelled pick leaves stdout empty.
//
// Keys: typing filters (fuzzy, over profile names, account IDs, SSO
// account names and role names or ARNs); Up/Down, Ctrl-P/Ctrl-N,
// Ctrl-K/Ctrl-J and Tab move; PageUp/PageDown, Home/End jump; Backspace,
// Ctrl-W (a word) and Ctrl-U (all) edit the query; Enter chooses; Esc,
// Ctrl-C and Ctrl-G cancel.
package picker

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/awsenv/awsenv/internal/tty"
)

// Item is one profile to choose from.
type Item struct {
	Profile    string
	Account    string // account ID
	Role       string // role ARN or SSO role name
	SSOAccount string // the SSO account's name
	Region     string
	Kind       string // what kind of profile, shown when there is no role
}

// Options tune Pick. The zero value is ready to use.
type Options struct {
	// Prompt comes before the query; "profile> " when empty.
	Prompt string
	// Query is typed in advance.
	Query string
	// Height is the most list rows shown; 10 when zero.
	Height int
	// NoColor turns highlights off. Without it Pick still honours
	// NO_COLOR and TERM=dumb.
	NoColor bool
}

// ErrCancelled means the person pressed Esc or Ctrl-C, or the process was
// told to stop.
var ErrCancelled = errors.New("cancelled")

// Pick shows items on the terminal and returns the one chosen. Until a
// query is typed they show in the order given; then the matches show best
// first (see Rank), ties by profile name. Without a terminal it returns
// tty.ErrNoTerminal, and on Esc or Ctrl-C ErrCancelled; either way it has
// written nothing to stdout.
func Pick(items []Item, opts Options) (Item, error) {
	if len(items) == 0 {
		return Item{}, errors.New("no profiles to choose from")
	}
	t, err := tty.Open()
	if err != nil {
		return Item{}, err
	}
	defer t.Close()
	if err := t.MakeRaw(); err != nil {
		return Item{}, err
	}
	m := newModel(items, opts)
	color := !opts.NoColor && tty.ColorAllowed(os.Getenv)
	scr := &screen{w: t}
	// Runs before t.Close restores the mode: the list is erased while the
	// terminal is still ours.
	defer scr.erase()
	return run(t, m, scr, color)
}

func run(t *tty.Terminal, m *model, scr *screen, color bool) (Item, error) {
	var d decoder
	buf := make([]byte, 512)
	var keys []key
	for {
		w, h, err := t.Size()
		if err != nil || w <= 0 || h <= 0 {
			w, h = 80, 24
		}
		scr.draw(m.frame(w, h, color))
		timeout := time.Duration(-1)
		if d.pending() {
			timeout = escTimeout
		}
		ev, err := t.Wait(timeout)
		if err != nil {
			return Item{}, err
		}
		keys = keys[:0]
		switch ev {
		case tty.EventSignal:
			return Item{}, ErrCancelled
		case tty.EventResize:
			continue
		case tty.EventTimeout:
			keys = d.flush(keys)
		case tty.EventInput:
			n, err := t.Read(buf)
			if n == 0 {
				if err == nil {
					err = errors.New("end of input")
				}
				return Item{}, fmt.Errorf("reading the terminal: %w", err)
			}
			keys = d.feed(keys, buf[:n])
		}
		for _, k := range keys {
			switch m.handle(k) {
			case chosen:
				return m.selected(), nil
			case cancelled:
				return Item{}, ErrCancelled
			}
		}
	}
}
