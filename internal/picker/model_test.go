package picker

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var testItems = []Item{
	{Profile: "dev", Account: "111111111111", Role: "arn:aws:iam::111111111111:role/Developer", Region: "eu-west-1", Kind: "role"},
	{Profile: "prod", Account: "222222222222", Role: "arn:aws:iam::222222222222:role/Admin", Region: "us-east-1", Kind: "role"},
	{Profile: "sso-billing", Account: "333333333333", SSOAccount: "Billing", Role: "ReadOnly", Region: "eu-central-1", Kind: "sso"},
	{Profile: "static", Kind: "static keys"},
}

// press decodes the bytes a terminal would send and applies the keys.
func press(m *model, input string) outcome {
	var d decoder
	keys := d.flush(d.feed(nil, []byte(input)))
	for _, k := range keys {
		if o := m.handle(k); o != going {
			return o
		}
	}
	return going
}

func TestModelKeys(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  outcome
		pick  string // profile chosen
	}{
		{"Enter takes the first", "\r", chosen, "dev"},
		{"account ID fragment", "3333\r", chosen, "sso-billing"},
		{"SSO account name", "billing\r", chosen, "sso-billing"},
		{"role name in an ARN", "role/admin\r", chosen, "prod"},
		{"Down arrow", "\x1b[B\r", chosen, "prod"},
		{"Down in application mode", "\x1bOB\x1bOB\r", chosen, "sso-billing"},
		{"Ctrl-N Ctrl-N Ctrl-P", "\x0e\x0e\x10\r", chosen, "prod"},
		{"Ctrl-J Ctrl-K", "\n\n\n\x0b\r", chosen, "sso-billing"},
		{"Down stops at the end", strings.Repeat("\x1b[B", 9) + "\r", chosen, "static"},
		{"Up stops at the top", "\x1b[A\x1b[A\r", chosen, "dev"},
		{"End, Home", "\x1b[F\x1b[H\r", chosen, "dev"},
		{"PageDown", "\x1b[6~\r", chosen, "static"},
		{"typing resets the selection", "\x1b[Bs\r", chosen, "sso-billing"},
		{"Backspace", "prodx\x7f\r", chosen, "prod"},
		{"Ctrl-U clears", "zzz\x15\r", chosen, "dev"},
		{"Ctrl-W deletes a word", "prod zzz\x17\r", chosen, "prod"},
		{"Enter with no match does nothing", "zzz\r", going, ""},
		{"Esc", "\x1b", cancelled, ""},
		{"Esc after typing", "pro\x1b", cancelled, ""},
		{"Ctrl-C", "pro\x03", cancelled, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(testItems, Options{})
			got := press(m, tt.input)
			if got != tt.want {
				t.Fatalf("outcome %v, want %v", got, tt.want)
			}
			if got == chosen && m.selected().Profile != tt.pick {
				t.Fatalf("chose %q, want %q", m.selected().Profile, tt.pick)
			}
		})
	}
}

func TestFrame(t *testing.T) {
	m := newModel(testItems, Options{})
	press(m, "prod")
	fr := m.frame(120, 40, false)
	want := []string{
		"profile> prod  1/4",
		"  PROFILE      ACCOUNT               ROLE                                      REGION",
		"> prod         222222222222          arn:aws:iam::222222222222:role/Admin      us-east-1",
	}
	if len(fr.lines) != 2+len(testItems) {
		t.Fatalf("%d lines, want %d:\n%s", len(fr.lines), 2+len(testItems), strings.Join(fr.lines, "\n"))
	}
	for i, w := range want {
		if fr.lines[i] != w {
			t.Errorf("line %d:\n%q\nwant\n%q", i, fr.lines[i], w)
		}
	}
	if fr.col != len("profile> prod") {
		t.Errorf("cursor at column %d, want %d", fr.col, len("profile> prod"))
	}
}

func TestFrameHostileNames(t *testing.T) {
	items := []Item{
		{Profile: "evil\x1b]0;pwned\x07\x1b[2J", Account: "1\r\n2", Role: "\u202egnp.exe"},
		{Profile: "bad\xff\xfe", SSOAccount: "日本語の口座"},
	}
	m := newModel(items, Options{})
	fr := m.frame(100, 20, false)
	text := strings.Join(fr.lines, "\n")
	for _, b := range []byte(text) {
		if b < 0x20 && b != '\n' {
			t.Fatalf("raw control byte %#x drawn:\n%q", b, text)
		}
	}
	for _, want := range []string{`evil\x1b]0;pwned\x07`, `1\r\n2`, `\u202egnp.exe`, `bad\xff\xfe`, "日本語の口座"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not drawn:\n%s", want, text)
		}
	}
	if !utf8.ValidString(text) {
		t.Errorf("invalid UTF-8 drawn: %q", text)
	}
}

func TestFrameWidth(t *testing.T) {
	items := []Item{
		{Profile: strings.Repeat("p", 80), Account: "123456789012", Role: strings.Repeat("r", 80), Region: "ap-southeast-2"},
		{Profile: strings.Repeat("日", 30), Account: "123456789012", Region: "eu-west-1"},
	}
	for _, width := range []int{1, 2, 10, 20, 41, 80, 200} {
		m := newModel(items, Options{})
		press(m, "p")
		for i, l := range m.frame(width, 24, false).lines {
			if w := textWidth(l); w > max(width-1, 1) {
				t.Errorf("width %d: line %d is %d columns: %q", width, i, w, l)
			}
		}
	}
	m := newModel(items, Options{})
	lines := m.frame(200, 24, false).lines
	if !strings.Contains(lines[2], strings.Repeat("p", maxProfile-1)+"…") {
		t.Errorf("long profile not cut to %d columns: %q", maxProfile, lines[2])
	}
	// Wide characters count two columns: the account column starts at
	// the same column in both rows.
	col := func(l string) int { return textWidth(l[:strings.Index(l, "123456789012")]) }
	if a, b := col(lines[2]), col(lines[3]); a != b {
		t.Errorf("account column at %d and %d:\n%s\n%s", a, b, lines[2], lines[3])
	}
}

func TestFrameColor(t *testing.T) {
	m := newModel(testItems, Options{})
	press(m, "prod")
	row := m.frame(120, 40, true).lines[2]
	// The matched p r o d are highlighted, on the selected (bold) row.
	if !strings.Contains(row, "\x1b[0m\x1b[1;"+styleMatch+"mp") {
		t.Errorf("no highlight in %q", row)
	}
	if !strings.HasSuffix(row, "\x1b[0m") {
		t.Errorf("attributes not reset at the end of %q", row)
	}
	for _, l := range m.frame(120, 40, false).lines {
		if strings.Contains(l, "\x1b") {
			t.Errorf("escape sequence without colour: %q", l)
		}
	}
}

func TestFrameShortWindow(t *testing.T) {
	m := newModel(testItems, Options{})
	if n := len(m.frame(80, 4, false).lines); n != 4 {
		t.Errorf("%d lines in a 4-line window, want 4", n)
	}
	m.move(3)
	lines := m.frame(80, 4, false).lines
	if !strings.HasPrefix(lines[3], "> static") {
		t.Errorf("selection not scrolled into view:\n%s", strings.Join(lines, "\n"))
	}
}
