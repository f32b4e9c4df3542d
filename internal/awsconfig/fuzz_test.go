package awsconfig

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
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
		text := string(data)
		for i := range p.sections {
			rs := &p.sections[i]
			if rs.line < 1 || rs.first > rs.end || int(rs.end) > len(p.entries) {
				t.Fatalf("section %d: line %d, entries %d:%d of %d", i, rs.line, rs.first, rs.end, len(p.entries))
			}
			s := p.section(i)
			if strings.ContainsAny(s.Header, "\n") || !strings.Contains(text, s.Header) {
				t.Fatalf("header %q is not a line's text", s.Header)
			}
			for k, v := range s.Keys {
				checkValue(t, text, k, v)
				for sk, sv := range v.Sub {
					checkValue(t, text, sk, sv)
				}
			}
		}
	})
}

// checkValue: keys are lower-case and never empty, a value is trimmed,
// and a one-line value is text of the input, not made up.
func checkValue(t *testing.T, text, k string, v Value) {
	t.Helper()
	if k == "" || (utf8.ValidString(k) && k != strings.ToLower(k)) || strings.ContainsAny(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !trimmed(k) {
		t.Fatalf("key %q", k)
	}
	if !trimmed(v.Value) && !strings.Contains(v.Value, "\n") {
		t.Fatalf("value %q of %s is not trimmed", v.Value, k)
	}
	if !strings.Contains(v.Value, "\n") && !strings.Contains(text, v.Value) {
		t.Fatalf("value %q of %s is not in the input", v.Value, k)
	}
	if lines := strings.Count(text, "\n") + 1; v.Line < 1 || v.Line > lines {
		t.Fatalf("%s at line %d of %d", k, v.Line, lines)
	}
}

func trimmed(s string) bool {
	a, b := trim(s, 0, len(s))
	return a == 0 && b == len(s)
}

// FuzzLoad: for any pair of files, every profile can be built and its
// chain followed to an end (no loop runs for ever, no hop is repeated
// but the one self-reference), and no error shows a secret key.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("[profile a]\nrole_arn = r\nsource_profile = b\n"), []byte("[b]\naws_access_key_id = AKIA\naws_secret_access_key = SECRETSECRET\n"))
	f.Add([]byte("[profile a]\nrole_arn = r\nsource_profile = a\naws_access_key_id = k\n"), []byte("[a]\naws_secret_access_key = SECRETSECRET\n"))
	f.Add([]byte("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nrole_arn = r\nsource_profile = a\nduration_seconds = x\n"), []byte(""))
	f.Add([]byte("[default]\nsso_session = s\n[sso-session s]\nsso_region = x\n[profile default]\nrole_arn = r\ncredential_source = Environment\n"), []byte("[profile default]\n"))
	f.Fuzz(func(t *testing.T, config, credentials []byte) {
		cf, crf := string(config), string(credentials)
		c, err := fromTexts("config", "credentials", [2]*string{&cf, &crf})
		if err != nil {
			return
		}
		// scan finds profiles by scanning the headers, c by its index:
		// the two must agree.
		scan, _ := fromTexts("config", "credentials", [2]*string{&cf, &crf})
		secrets := map[string]bool{}
		for _, name := range c.Profiles() {
			p, ok := c.Profile(name)
			if !ok || p.Name != name {
				t.Fatalf("Profiles() lists %q, Profile() does not find it", name)
			}
			if q, ok := scan.Profile(name); !ok || !reflect.DeepEqual(p.Keys, q.Keys) || len(p.Sections) != len(q.Sections) {
				t.Fatalf("profile %q: the index gives %v, the scan %v", name, p.Keys, q)
			}
			if s := p.Get("aws_secret_access_key"); len(s) >= 8 {
				secrets[s] = true
			}
		}
		for _, name := range c.Profiles() {
			hops, err := c.Chain(name)
			if len(hops) == 0 || hops[0].Profile.Name != name || len(hops) > len(c.Profiles())+1 {
				t.Fatalf("Chain(%q) = %d hops", name, len(hops))
			}
			seen := map[string]bool{}
			for i, h := range hops {
				self := i == 1 && h.Profile.Name == hops[0].Profile.Name
				if seen[h.Profile.Name] && !self {
					t.Fatalf("Chain(%q) repeats %q", name, h.Profile.Name)
				}
				seen[h.Profile.Name] = true
			}
			if err == nil {
				continue
			}
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Profile == "" {
				t.Fatalf("Chain(%q) error %T: %v", name, err, err)
			}
			for s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("Chain(%q) error shows a secret: %v", name, err)
				}
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
