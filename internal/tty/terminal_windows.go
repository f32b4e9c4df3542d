package tty

import (
	"fmt"
	"time"

	"golang.org/x/sys/windows"
)

// sysState holds the screen buffer's mode, which raw mode changes to have
// escape sequences interpreted.
type sysState struct {
	outMode uint32
	changed bool
}

func (s *sysState) start(t *Terminal) error {
	h := windows.Handle(t.outFd)
	if err := windows.GetConsoleMode(h, &s.outMode); err != nil {
		return fmt.Errorf("reading the console's mode: %w", err)
	}
	mode := s.outMode | windows.ENABLE_PROCESSED_OUTPUT | windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING
	if err := windows.SetConsoleMode(h, mode); err != nil {
		return fmt.Errorf("enabling escape sequences on the console: %w", err)
	}
	s.changed = true
	return nil
}

func (s *sysState) stop(t *Terminal) error {
	if !s.changed {
		return nil
	}
	s.changed = false
	if err := windows.SetConsoleMode(windows.Handle(t.outFd), s.outMode); err != nil {
		return fmt.Errorf("restoring the console's mode: %w", err)
	}
	return nil
}

// wait cannot wait with a timeout: the console's input handle is signalled
// by events that yield no bytes (key releases, focus), so a read after it
// could block anyway. None is needed for Esc: with
// ENABLE_VIRTUAL_TERMINAL_INPUT the console hands over a key's whole
// escape sequence at once, so a read that ends in a lone ESC was the Esc
// key. Read blocks until a key.
func (s *sysState) wait(_ *Terminal, timeout time.Duration) (Event, error) {
	if timeout >= 0 {
		return EventTimeout, nil
	}
	return EventInput, nil
}
