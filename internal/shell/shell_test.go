package shell

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/awsenv/awsenv/internal/shell/shelltest"
)

// hostile values every emitter must carry through unchanged.
var hostile = []string{
	"",
	"plain",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"it's",
	"''",
	`back\slash\`,
	`\'`,
	`$HOME $(id) ${x} ` + "`id`",
	"new\nline",
	"cr\rlf\r\n",
	"tab\there",
	"sp ace  ",
	"semi;colon&amp|pipe>redirect<",
	"glob*?[a]",
	"ünïcødé",
	"emoji 🔑🚀",
	"typographic ‘quotes’ ‚low‛",
	"\x1b[31mred\x1b[0m",
	"#comment",
	"-n",
	"%{zsh%}",
	"\u0085\u2028\u2029",
	"\x7f\x01",
}

func TestRenderRoundTrip(t *testing.T) {
	decoders := map[string]func(string) (string, string, error){
		"bash": shelltest.DecodePOSIX, "zsh": shelltest.DecodePOSIX, "sh": shelltest.DecodePOSIX,
		"fish": shelltest.DecodeFish, "pwsh": shelltest.DecodePwsh,
	}
	for name, decode := range decoders {
		sh, _ := Lookup(name)
		for _, v := range hostile {
			out, err := Render(sh, []Change{Set("AWS_X", v)})
			if err != nil {
				t.Fatalf("%s: Render(%q): %v", name, v, err)
			}
			n, got, err := decode(out)
			if err != nil || n != "AWS_X" || got != v {
				t.Errorf("%s: %q rendered as %q, read back as %q, %q, %v", name, v, out, n, got, err)
			}
		}
	}
}

func TestRenderGolden(t *testing.T) {
	changes := []Change{Set("AWS_PROFILE", "it's"), Unset("AWS_SESSION_TOKEN")}
	want := map[string]string{
		"bash": "export AWS_PROFILE='it'\\''s';\nunset AWS_SESSION_TOKEN;\n",
		"fish": "set -gx AWS_PROFILE 'it\\'s';\nif set -q AWS_SESSION_TOKEN; set -e AWS_SESSION_TOKEN; end;\n",
		"pwsh": "$Env:AWS_PROFILE = 'it''s'\nif (Test-Path Env:AWS_SESSION_TOKEN) { Remove-Item Env:AWS_SESSION_TOKEN }\n",
	}
	for name, w := range want {
		sh, _ := Lookup(name)
		got, err := Render(sh, changes)
		if err != nil || got != w {
			t.Errorf("%s:\n got %q, %v\nwant %q", name, got, err, w)
		}
	}
}

func TestRenderRejects(t *testing.T) {
	for _, name := range Names() {
		sh, _ := Lookup(name)
		cases := []struct {
			change Change
			want   error
		}{
			{Set("AWS_X", "a\x00b"), ErrNUL},
			{Set("1BAD", "v"), nil},
			{Set("BAD-NAME", "v"), nil},
			{Set("", "v"), nil},
			{Unset("BAD NAME"), nil},
			{Set("$(id)", "v"), nil},
		}
		for _, c := range cases {
			out, err := Render(sh, []Change{Set("AWS_OK", "fine"), c.change})
			if err == nil || out != "" {
				t.Errorf("%s: Render(%+v) = %q, %v; want an error and no output", name, c.change, out, err)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Errorf("%s: Render(%+v) error %v, want %v", name, c.change, err, c.want)
			}
		}
	}
}

func TestPwshRejectsInvalidUTF8(t *testing.T) {
	sh, _ := Lookup("pwsh")
	if _, err := Render(sh, []Change{Set("AWS_X", "\xff")}); !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("got %v, want ErrInvalidUTF8", err)
	}
}

func TestPwshIsOneLineOfASCII(t *testing.T) {
	for _, v := range hostile {
		q, err := QuotePwsh(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range q {
			if r < 0x20 || r >= 0x7f {
				t.Fatalf("QuotePwsh(%q) = %q holds %U", v, q, r)
			}
		}
		if strings.ContainsAny(q, "\u2018\u2019\u201a\u201b") {
			t.Fatalf("QuotePwsh(%q) = %q holds a typographic quote", v, q)
		}
	}
}

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{
		"bash": "bash", "-bash": "bash", "/usr/bin/zsh": "zsh", "fish": "fish",
		"pwsh.exe": "pwsh", "powershell.exe": "pwsh", "PowerShell": "pwsh", "dash": "sh",
		`C:\Program Files\PowerShell\7\pwsh.exe`: "pwsh",
	} {
		sh, ok := Lookup(in)
		if !ok || sh.Name() != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", in, sh, ok, want)
		}
	}
	if _, ok := Lookup("python3"); ok {
		t.Error("Lookup(python3) succeeded")
	}
}

func TestDetect(t *testing.T) {
	t.Setenv("AWSENV_SHELL", "fish")
	if sh, err := Detect(""); err != nil || sh.Name() != "fish" {
		t.Errorf("AWSENV_SHELL=fish: got %v, %v", sh, err)
	}
	if sh, err := Detect("zsh"); err != nil || sh.Name() != "zsh" {
		t.Errorf("--shell zsh beats AWSENV_SHELL: got %v, %v", sh, err)
	}
	if _, err := Detect("cmd"); err == nil {
		t.Error("--shell cmd: no error")
	}
	t.Setenv("AWSENV_SHELL", "")
	// The parent of `go test`'s test binary is `go`: not a shell, so sh.
	if sh, err := Detect(""); err != nil || sh.Name() == "" {
		t.Errorf("fallback: got %v, %v", sh, err)
	}
}

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"AWS_PROFILE": true, "_x": true, "a1": true,
		"": false, "1a": false, "A-B": false, "A B": false, "Ä": false, "A=B": false,
	} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v", name, got)
		}
	}
}

func fuzzRoundTrip(f *testing.F, shellName string, decode func(string) (string, string, error)) {
	for _, v := range hostile {
		f.Add(v)
	}
	sh, _ := Lookup(shellName)
	f.Fuzz(func(t *testing.T, v string) {
		out, err := Render(sh, []Change{Set("AWS_X", v)})
		switch {
		case strings.IndexByte(v, 0) >= 0:
			if err == nil {
				t.Fatalf("NUL accepted: %q", out)
			}
			return
		case shellName == "pwsh" && !utf8.ValidString(v):
			if err == nil {
				t.Fatalf("invalid UTF-8 accepted: %q", out)
			}
			return
		case err != nil:
			t.Fatalf("Render(%q): %v", v, err)
		}
		if shellName == "pwsh" && strings.Count(out, "\n") != 1 {
			t.Fatalf("pwsh statement spans lines: %q", out)
		}
		name, got, err := decode(out)
		if err != nil || name != "AWS_X" || got != v {
			t.Fatalf("%q rendered as %q, read back as %q (%v)", v, out, got, err)
		}
	})
}

func FuzzPOSIX(f *testing.F) { fuzzRoundTrip(f, "bash", shelltest.DecodePOSIX) }
func FuzzFish(f *testing.F)  { fuzzRoundTrip(f, "fish", shelltest.DecodeFish) }
func FuzzPwsh(f *testing.F)  { fuzzRoundTrip(f, "pwsh", shelltest.DecodePwsh) }

func TestEval(t *testing.T) {
	for _, tc := range []struct {
		shell string
		args  []string
		want  string
	}{
		{"bash", []string{"use", "project1"}, `eval "$(awsenv use project1)"`},
		{"zsh", []string{"use", "it's $(id)"}, `eval "$(awsenv use 'it'\''s $(id)')"`},
		{"fish", []string{"use", `a\b'c`}, `awsenv use 'a\\b\'c' | source`},
		{"pwsh", []string{"use", "p 1"}, `awsenv use 'p 1' --shell pwsh | Invoke-Expression`},
		{"bash", []string{"use", "-", "=x", "~x", "%x", "@x"}, `eval "$(awsenv use - '=x' '~x' '%x' '@x')"`},
	} {
		sh, _ := Lookup(tc.shell)
		if got := sh.Eval(tc.args...); got != tc.want {
			t.Errorf("%s %q: %s, want %s", tc.shell, tc.args, got, tc.want)
		}
	}
}
