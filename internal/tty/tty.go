// Package tty asks the person at the terminal for input. stdin and stdout
// belong to `eval "$(...)"` or a pipe, so it reads the controlling terminal
// and writes the question to stderr.
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
