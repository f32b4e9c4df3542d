//go:build unix

package sso

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// $BROWSER is run, with the URL as one argument, however many & it holds.
func TestOpenBrowserRunsBROWSER(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > \""+out+".tmp\" && mv \""+out+".tmp\" \""+out+"\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", script+" %s")
	const u = "https://example.com/authorize?a=1&b=2"
	if err := OpenBrowser(u); err != nil {
		t.Fatal(err)
	}
	if !CanOpenBrowser() {
		t.Error("CanOpenBrowser is false with BROWSER set")
	}
	// The browser runs on its own; wait for its file (bounded).
	for i := 0; i < 500; i++ {
		if got, err := os.ReadFile(out); err == nil {
			if string(got) != u {
				t.Errorf("the browser got %q", got)
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the browser never ran")
}

func TestPlatformCanOpen(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	ssh := env("SSH_CONNECTION", "127.0.0.1 50000 127.0.0.1 22")
	if platformCanOpen(ssh) {
		t.Error("a browser over SSH without a display")
	}
	if runtime.GOOS == "darwin" {
		if !platformCanOpen(env()) {
			t.Error("no browser on the Mac console")
		}
		return
	}
	if platformCanOpen(env()) {
		t.Error("a browser without a display")
	}
	if !platformCanOpen(env("WAYLAND_DISPLAY", "wayland-0")) || !platformCanOpen(env("DISPLAY", ":0", "SSH_TTY", "/dev/pts/1")) {
		t.Error("no browser with a display (X forwarded over SSH counts)")
	}
}
