package awsconfig

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParseINI: no input crashes the reader, every error is a SyntaxError
// that points at a line of the input, and no error repeats the input.
func FuzzParseINI(f *testing.F) {
	for _, seed := range []string{
		"", "[default]\nregion = x\n", "\xef\xbb\xbf[profile a]\r\nk = v\r\n", "[profile a\n",
		"[services s]\nsts =\n  endpoint_url = http://x\n", "k = v\n", "[a]\n  continued\n",
		"[a]\nk = v\n  more\n", "\x00\xff\xfe[", "[]\n=\n", "[a]]\n;c\n#c\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parse("config", string(data))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a SyntaxError", err)
			}
			if lines := bytes.Count(data, []byte("\n")) + 1; se.Line < 1 || se.Line > lines {
				t.Fatalf("error at line %d of %d", se.Line, lines)
			}
			if len(data) > 8 && strings.Contains(err.Error(), string(data)) {
				t.Fatalf("error repeats the input: %v", err)
			}
			return
		}
		for _, s := range p.sections {
			if s.line < 1 {
				t.Fatalf("section %q at line %d", p.str(s.header), s.line)
			}
		}
	})
}

func TestHostileFiles(t *testing.T) {
	big := strings.Repeat("[profile p]\nregion = eu-west-1\naws_access_key_id = AKIA\n", 250_000) // ~10 MB
	for _, tc := range []struct {
		name, config string
		ok           bool
		profiles     int
	}{
		{"empty", "", true, 0},
		{"binary garbage", "\x00\x01\x02\xff\xfe\x89PNG\r\n\x1a\n", false, 0},
		{"10 MB", big, true, 1},
		{"unterminated section", "[profile a\nregion = x\n", false, 0},
		{"duplicate profiles", "[profile a]\nregion = x\n[profile a]\nregion = y\n", true, 1},
		// A name with a space is ignored (the CLI and the SDK rules agree);
		// other characters are kept, as the CLI and the Go SDK keep them.
		{"spaces and unicode in names", "[profile my profile]\n[profile prøfile-🔑]\n", true, 1},
		{"CRLF", "[profile a]\r\nregion = x\r\n", true, 1},
		{"BOM, which the CLI and SDKs do not read", "\xef\xbb\xbf[profile a]\r\nregion = x\r\n", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.config, "")
			if (err == nil) != tc.ok {
				t.Fatalf("error = %v, want ok=%v", err, tc.ok)
			}
			if err == nil && len(c.Profiles()) != tc.profiles {
				t.Fatalf("profiles %q, want %d", c.Profiles(), tc.profiles)
			}
		})
	}
	c, _ := load(t, "[profile a]\nregion = x\n[profile a]\nregion = y\n", "")
	if p, _ := c.Profile("a"); p.Get("region") != "y" {
		t.Errorf("duplicate profile: later value should win, got %q", p.Get("region"))
	}
}
