package sso

// platformOpeners: url.dll's FileProtocolHandler opens the default
// browser without cmd.exe, which would read the URL's & as a command
// separator (`cmd /c start` needs every & escaped).
var platformOpeners = [][]string{{"rundll32", "url.dll,FileProtocolHandler"}}

func platformCanOpen(getenv func(string) string) bool { return !overSSH(getenv) }
