package tty

import (
	"os"
	"testing"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"project1":            "project1",
		"two\nlines\tand tab": "two\nlines\tand tab",
		"ünïcode 🔑":           "ünïcode 🔑",
		"\x1b]2;pwned\x07":    `\x1b]2;pwned\x07`,
		"a\rb\x7f":            `a\x0db\x7f`,
		"bad\xffbyte":         `bad\xffbyte`,
		"admin\u202egnp.exe":  `admin\u202egnp.exe`,
		"c1\u009bcontrol":     `c1\u009bcontrol`,
		"\xe2\x80":            `\xe2\x80`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzPrintable(f *testing.F) {
	f.Add("project1\x1b[2J\xff\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || bidi(r) {
				t.Fatalf("Printable(%q) = %q holds %U", s, out, r)
			}
		}
		if plain(s) && out != s {
			t.Fatalf("Printable changed plain %q", s)
		}
	})
}

func ExampleWriteTable() {
	WriteTable(os.Stdout, [][]string{
		{"PROFILE", "REGION", "CACHED"},
		{"project1", "eu-west-1", "aws-cli 42m left"},
		{"ünïcode", "-", "-"},
	})
	// Output:
	// PROFILE   REGION     CACHED
	// project1  eu-west-1  aws-cli 42m left
	// ünïcode   -          -
}
