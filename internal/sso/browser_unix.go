//go:build unix && !darwin

package sso

// platformOpeners: xdg-open on a desktop, wslview under WSL, then
// Debian's alternatives.
var platformOpeners = [][]string{{"xdg-open"}, {"wslview"}, {"sensible-browser"}, {"x-www-browser"}}

// platformCanOpen: a browser needs an X or Wayland display, or WSL,
// whose wslview opens the Windows browser.
func platformCanOpen(getenv func(string) string) bool {
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return true
	}
	return getenv("WSL_DISTRO_NAME") != "" && !overSSH(getenv)
}
