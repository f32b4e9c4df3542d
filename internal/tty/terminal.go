package tty

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/term"
)

// Terminal is the controlling terminal opened for an interaction that reads
// single keys and draws, such as the profile picker. Like Ask it never uses
// stdin or stdout, which belong to `eval "$(...)"`.
type Terminal struct {
	in, out *os.File
	inFd    int
	outFd   int
	raw     *term.State
	sys     sysState // what raw mode changed beyond x/term's state, and its wake-ups
	closed  bool
}

// Event is what Wait saw.
type Event int

const (
	// EventInput: Read has bytes for the caller.
	EventInput Event = iota
	// EventTimeout: nothing arrived in time.
	EventTimeout
	// EventResize: the window changed size (unix only; on Windows a new
	// size shows in Size after the next key).
	EventResize
	// EventSignal: the process was told to stop (SIGINT, SIGTERM, SIGHUP,
	// SIGQUIT from outside: in raw mode Ctrl-C is a key). The caller should
	// clean up and give up.
	EventSignal
)

// Open opens the controlling terminal, or returns ErrNoTerminal.
func Open() (*Terminal, error) {
	in, out, err := openTerminal()
	if err != nil {
		return nil, ErrNoTerminal
	}
	t := &Terminal{in: in, out: out, inFd: int(in.Fd()), outFd: int(out.Fd())}
	if !term.IsTerminal(t.inFd) || !term.IsTerminal(t.outFd) {
		t.closeFiles()
		return nil, ErrNoTerminal
	}
	return t, nil
}

// MakeRaw puts the terminal in raw mode: keys arrive one by one, unechoed,
// Ctrl-C included. Close restores the mode.
func (t *Terminal) MakeRaw() error {
	if t.raw != nil {
		return nil
	}
	st, err := term.MakeRaw(t.inFd)
	if err != nil {
		return fmt.Errorf("switching the terminal to raw mode: %w", err)
	}
	t.raw = st
	if err := t.sys.start(t); err != nil {
		t.restore()
		return err
	}
	return nil
}

// Size returns the window's width and height in cells.
func (t *Terminal) Size() (width, height int, err error) {
	return term.GetSize(t.outFd)
}

// Write draws on the terminal.
func (t *Terminal) Write(p []byte) (int, error) { return t.out.Write(p) }

// Read reads the keys Wait announced.
func (t *Terminal) Read(p []byte) (int, error) { return t.in.Read(p) }

// Wait waits for input, a resize or a signal, at most timeout (no limit
// when timeout is negative). It is what tells the Esc key from the start of
// an escape sequence: the rest of a sequence follows within milliseconds.
func (t *Terminal) Wait(timeout time.Duration) (Event, error) {
	return t.sys.wait(t, timeout)
}

// Close restores the terminal's mode and closes it. It is safe to call
// more than once.
func (t *Terminal) Close() error {
	if t.closed {
		return nil
	}
	t.closed = true
	err := t.restore()
	return errors.Join(err, t.closeFiles())
}

func (t *Terminal) restore() error {
	if t.raw == nil {
		return nil
	}
	err := t.sys.stop(t)
	if rerr := term.Restore(t.inFd, t.raw); rerr != nil {
		err = errors.Join(err, fmt.Errorf("restoring the terminal's mode: %w", rerr))
	}
	t.raw = nil
	return err
}

func (t *Terminal) closeFiles() error {
	err := t.in.Close()
	if t.out != t.in {
		err = errors.Join(err, t.out.Close())
	}
	return err
}

// ColorAllowed reports whether drawing on the terminal may use colours and
// other SGR attributes: not when NO_COLOR is set (https://no-color.org) or
// TERM is dumb.
func ColorAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}
