package sso

import (
	"os"
	"strings"
	"testing"
)

func TestBrowserCommands(t *testing.T) {
	sep := string(os.PathListSeparator)
	const u = "https://example.com/a?b=c&d=e"
	tests := []struct {
		name, env string
		want      []string // the $BROWSER commands, before the platform's
	}{
		{"unset", "", nil},
		{"a command", "firefox", []string{"firefox " + u}},
		{"%s placed", "firefox --new-tab %s", []string{"firefox --new-tab " + u}},
		{"a list", "w3m" + sep + "lynx %s", []string{"w3m " + u, "lynx " + u}},
		{"empty entries", sep + " " + sep, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := browserCommands(tt.env, u)
			if len(got) != len(tt.want)+len(platformOpeners) {
				t.Fatalf("got %q", got)
			}
			for i, w := range tt.want {
				if strings.Join(got[i], " ") != w {
					t.Errorf("command %d = %q, want %q", i, got[i], w)
				}
			}
			for _, argv := range got[len(tt.want):] {
				if argv[len(argv)-1] != u {
					t.Errorf("platform opener %q does not end with the URL", argv)
				}
			}
		})
	}
}

func TestOpenBrowserRefusesNonHTTP(t *testing.T) {
	for _, u := range []string{"-e", "file:///etc/passwd", "javascript:alert(1)"} {
		if err := OpenBrowser(u); err == nil {
			t.Errorf("opened %q", u)
		}
	}
}
