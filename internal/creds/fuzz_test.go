package creds

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzFormats holds every format to its promise: what it writes is read
// back byte for byte (by the format's own rules: JSON, or NAME=value up to
// the line's end, unquoted), or it writes nothing and says why.
func FuzzFormats(f *testing.F) {
	for _, s := range []string{"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "=" + DotenvChars, `it's "q" $x` + "`id`\n", "caf\xe9", "a\x00b", "ünï 🔑", "\r", " lead", "trail "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		c := Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: v, SessionToken: "tok", Profile: "p"}
		for _, format := range []string{"env", "dotenv", "json", "process"} {
			out, err := c.Format(format)
			if err != nil {
				if out != "" {
					t.Fatalf("%s: output %q beside the error %v", format, out, err)
				}
				continue
			}
			var got string
			switch format {
			case "json", "process":
				var m map[string]any
				if err := json.Unmarshal([]byte(out), &m); err != nil {
					t.Fatalf("%s: %v: %q", format, err, out)
				}
				key := SecretAccessKey
				if format == "process" {
					key = "SecretAccessKey"
				}
				got, _ = m[key].(string)
			default:
				for _, line := range strings.SplitAfter(out, "\n") {
					if rest, ok := strings.CutPrefix(line, SecretAccessKey+"="); ok {
						got = strings.TrimSuffix(rest, "\n")
					}
				}
				if format == "dotenv" && strings.Trim(got, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"+DotenvChars) != "" {
					t.Fatalf("dotenv wrote a byte outside its alphabet: %q", got)
				}
			}
			if got != v {
				t.Fatalf("%s: read back %q, want %q", format, got, v)
			}
		}
	})
}
