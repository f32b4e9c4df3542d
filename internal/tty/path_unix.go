//go:build !windows

package tty

const terminalPath = "/dev/tty"
