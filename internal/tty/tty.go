// Package tty is the controlling terminal: the person at it, apart from
// stdin and stdout, which belong to `eval "$(...)"` or a pipe. Ask reads a
// line from it (the question goes to stderr); a Terminal reads keys from
// it and draws on it, for the profile picker. /dev/tty on unix; CONIN$
// and CONOUT$ on Windows.
package tty

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrNoTerminal means there is nobody to ask.
var ErrNoTerminal = errors.New("no terminal to ask on")

// Ask writes prompt to stderr and reads one line from the terminal.
func Ask(prompt string) (string, error) {
	in, err := os.Open(terminalPath)
	if err != nil {
		return "", ErrNoTerminal
	}
	defer in.Close()
	fmt.Fprint(os.Stderr, prompt)
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("reading from the terminal: %w", err)
	}
	return strings.TrimSpace(line), nil
}
