package sso

var platformOpeners = [][]string{{"open"}}

// platformCanOpen: the console's browser, unless the shell is an SSH
// login, whose `open` would show the page on someone else's screen.
func platformCanOpen(getenv func(string) string) bool { return !overSSH(getenv) }
