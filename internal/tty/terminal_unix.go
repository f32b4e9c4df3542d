//go:build !windows

package tty

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"time"

	"golang.org/x/sys/unix"
)

// sysState wakes Wait for signals through a pipe that Wait selects on along
// with the terminal: a goroutine blocked reading the terminal could not be
// stopped, and would eat the next key typed after the picker (an MFA code).
type sysState struct {
	pipe    [2]int // read, write
	sigs    chan os.Signal
	done    chan struct{} // tells the goroutine to stop
	stopped chan struct{} // the goroutine has stopped
}

const (
	wakeResize = 'w'
	wakeSignal = 's'
)

func (s *sysState) start(*Terminal) error {
	if err := unix.Pipe(s.pipe[:]); err != nil {
		return fmt.Errorf("making a pipe for terminal signals: %w", err)
	}
	for _, fd := range s.pipe {
		unix.CloseOnExec(fd)
		// The writer must never block on a full pipe; the reader drains.
		if err := unix.SetNonblock(fd, true); err != nil {
			s.closePipe()
			return fmt.Errorf("making a pipe for terminal signals: %w", err)
		}
	}
	s.sigs = make(chan os.Signal, 8)
	s.done = make(chan struct{})
	s.stopped = make(chan struct{})
	signal.Notify(s.sigs, unix.SIGWINCH, unix.SIGINT, unix.SIGTERM, unix.SIGHUP, unix.SIGQUIT)
	go func(sigs <-chan os.Signal, done <-chan struct{}, w int) {
		defer close(s.stopped)
		for {
			select {
			case sig := <-sigs:
				b := byte(wakeSignal)
				if sig == unix.SIGWINCH {
					b = wakeResize
				}
				unix.Write(w, []byte{b})
			case <-done:
				return
			}
		}
	}(s.sigs, s.done, s.pipe[1])
	return nil
}

func (s *sysState) stop(*Terminal) error {
	if s.sigs == nil {
		return nil
	}
	signal.Stop(s.sigs)
	close(s.done)
	// Only then close: a closed descriptor's number may be reused by the
	// next file opened, which the goroutine would write into.
	<-s.stopped
	s.sigs = nil
	s.closePipe()
	return nil
}

func (s *sysState) closePipe() {
	unix.Close(s.pipe[0])
	unix.Close(s.pipe[1])
	s.pipe = [2]int{-1, -1}
}

func (s *sysState) wait(t *Terminal, timeout time.Duration) (Event, error) {
	deadline := time.Now().Add(timeout)
	for {
		var rs unix.FdSet
		rs.Set(t.inFd)
		nfd := t.inFd
		if s.sigs != nil {
			rs.Set(s.pipe[0])
			nfd = max(nfd, s.pipe[0])
		}
		var tv *unix.Timeval
		if timeout >= 0 {
			v := unix.NsecToTimeval(max(time.Until(deadline), 0).Nanoseconds())
			tv = &v
		}
		n, err := unix.Select(nfd+1, &rs, nil, nil, tv)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("waiting for the terminal: %w", err)
		}
		if n == 0 {
			return EventTimeout, nil
		}
		if s.sigs != nil && rs.IsSet(s.pipe[0]) {
			if ev, ok := s.drain(); ok {
				return ev, nil
			}
		}
		if rs.IsSet(t.inFd) {
			return EventInput, nil
		}
	}
}

// drain empties the pipe; a signal outranks a resize.
func (s *sysState) drain() (Event, bool) {
	var buf [64]byte
	ev, ok := EventResize, false
	for {
		n, err := unix.Read(s.pipe[0], buf[:])
		if n <= 0 || err != nil {
			return ev, ok
		}
		ok = true
		for _, b := range buf[:n] {
			if b == wakeSignal {
				ev = EventSignal
			}
		}
	}
}
