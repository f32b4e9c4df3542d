//go:build !unix && !windows

package sso

var platformOpeners [][]string

func platformCanOpen(func(string) string) bool { return false }
