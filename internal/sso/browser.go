package sso

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// OpenBrowser opens url in the user's browser without waiting for it to
// close: the commands of $BROWSER first (a list separated by the path
// list separator, "%s" standing for the URL, as for Python's webbrowser
// and xdg-utils), then the platform's own opener (xdg-open and its kin,
// open on macOS, url.dll's FileProtocolHandler on Windows). Only http and
// https URLs are opened: anything else could be read as an option.
func OpenBrowser(url string) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return fmt.Errorf("not opening %q: not an http(s) URL", url)
	}
	var errs []error
	for _, argv := range browserCommands(os.Getenv("BROWSER"), url) {
		if err := start(argv); err != nil {
			errs = append(errs, err)
			continue
		}
		return nil
	}
	if len(errs) == 0 {
		return errors.New("no way to open a browser here")
	}
	return errors.Join(errs...)
}

// browserCommands are the command lines to try, in order.
func browserCommands(browserEnv, url string) [][]string {
	var out [][]string
	for _, cmd := range strings.Split(browserEnv, string(os.PathListSeparator)) {
		fields := strings.Fields(cmd)
		if len(fields) == 0 {
			continue
		}
		replaced := false
		for i, f := range fields {
			if strings.Contains(f, "%s") {
				fields[i] = strings.ReplaceAll(f, "%s", url)
				replaced = true
			}
		}
		if !replaced {
			fields = append(fields, url)
		}
		out = append(out, fields)
	}
	for _, argv := range platformOpeners {
		out = append(out, append(append([]string{}, argv...), url))
	}
	return out
}

// start runs argv in the background and reaps it when it exits: xdg-open
// and some browsers stay until the window closes.
func start(argv []string) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// CanOpenBrowser reports whether a browser opened from here would be seen
// by the user: $BROWSER is set, or the platform has a display for this
// session (not a bare SSH login). Login uses the device code flow where it
// cannot.
func CanOpenBrowser() bool {
	if os.Getenv("BROWSER") != "" {
		return true
	}
	return platformCanOpen(os.Getenv)
}

// overSSH reports a remote shell, whose browser would open on a screen
// the user does not see.
func overSSH(getenv func(string) string) bool {
	return getenv("SSH_CONNECTION") != "" || getenv("SSH_TTY") != "" || getenv("SSH_CLIENT") != ""
}
