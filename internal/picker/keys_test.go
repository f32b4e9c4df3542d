package picker

import (
	"slices"
	"testing"
)

func TestDecoder(t *testing.T) {
	r := func(c rune) key { return key{kind: keyRune, r: c} }
	k := func(kind keyKind) key { return key{kind: kind} }
	tests := []struct {
		name   string
		chunks []string // successive reads
		flush  bool     // the escape timeout passed after the last read
		want   []key
	}{
		{"letters", []string{"ab1"}, false, []key{r('a'), r('b'), r('1')}},
		{"UTF-8", []string{"é日"}, false, []key{r('é'), r('日')}},
		{"UTF-8 split across reads", []string{"\xc3", "\xa9"}, false, []key{r('é')}},
		{"invalid UTF-8 typed nothing", []string{"a\xffb"}, false, []key{r('a'), r('b')}},
		{"Enter", []string{"\r"}, false, []key{k(keyEnter)}},
		{"Ctrl-C", []string{"\x03"}, false, []key{k(keyCancel)}},
		{"Ctrl-G", []string{"\x07"}, false, []key{k(keyCancel)}},
		{"Ctrl-P Ctrl-N", []string{"\x10\x0e"}, false, []key{k(keyUp), k(keyDown)}},
		{"Ctrl-K Ctrl-J", []string{"\x0b\n"}, false, []key{k(keyUp), k(keyDown)}},
		{"Backspace", []string{"\x7f\x08"}, false, []key{k(keyBackspace), k(keyBackspace)}},
		{"Ctrl-W Ctrl-U", []string{"\x17\x15"}, false, []key{k(keyDeleteWord), k(keyClear)}},
		{"other controls are ignored", []string{"\x01\x1a"}, false, nil},
		{"arrows CSI", []string{"\x1b[A\x1b[B"}, false, []key{k(keyUp), k(keyDown)}},
		{"arrows SS3", []string{"\x1bOA\x1bOB"}, false, []key{k(keyUp), k(keyDown)}},
		{"arrow with modifier", []string{"\x1b[1;5A"}, false, []key{k(keyUp)}},
		{"page keys", []string{"\x1b[5~\x1b[6~"}, false, []key{k(keyPageUp), k(keyPageDown)}},
		{"home end", []string{"\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH"}, false, []key{k(keyHome), k(keyEnd), k(keyHome), k(keyEnd), k(keyHome)}},
		{"unknown sequences type nothing", []string{"\x1b[2~\x1b[C\x1b[200~x"}, false, []key{r('x')}},
		{"sequence split across reads", []string{"\x1b", "[", "A"}, false, []key{k(keyUp)}},
		{"lone Esc waits", []string{"\x1b"}, false, nil},
		{"lone Esc after the timeout", []string{"\x1b"}, true, []key{k(keyCancel)}},
		{"Esc Esc", []string{"\x1b\x1b"}, false, []key{k(keyCancel)}},
		{"Alt-Backspace", []string{"\x1b\x7f"}, false, []key{k(keyDeleteWord)}},
		{"Esc then a letter fast", []string{"\x1bx"}, false, []key{k(keyCancel), r('x')}},
		{"unfinished CSI after the timeout", []string{"\x1b[1;"}, true, nil},
		{"unfinished SS3 after the timeout", []string{"\x1bO"}, true, nil},
		{"huge parameter", []string{"\x1b[99999999999999999999~a"}, false, []key{r('a')}},
		{"text after a sequence", []string{"\x1b[Bab\r"}, false, []key{k(keyDown), r('a'), r('b'), k(keyEnter)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d decoder
			var got []key
			for _, c := range tt.chunks {
				got = d.feed(got, []byte(c))
			}
			if tt.flush {
				got = d.flush(got)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("keys = %v, want %v", got, tt.want)
			}
			last := tt.chunks[len(tt.chunks)-1]
			if !tt.flush && len(tt.want) > 0 && last[len(last)-1] != 0x1b && d.pending() {
				t.Errorf("bytes left pending: %q", d.buf)
			}
		})
	}
}

func TestDecoderPendingUntilComplete(t *testing.T) {
	var d decoder
	for _, b := range []string{"\x1b", "[", "5"} {
		if keys := d.feed(nil, []byte(b)); len(keys) != 0 || !d.pending() {
			t.Fatalf("after %q: keys %v, pending %v; want none, pending", b, keys, d.pending())
		}
	}
	if keys := d.feed(nil, []byte("~")); !slices.Equal(keys, []key{{kind: keyPageUp}}) || d.pending() {
		t.Fatalf("keys %v, pending %v; want PageUp, nothing pending", keys, d.pending())
	}
}
