package shell_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/awsenv/awsenv/internal/testenv"

	"github.com/awsenv/awsenv/internal/session"
	"github.com/awsenv/awsenv/internal/shell"
)

// The bash and zsh hooks parse timestamps and windows, and write the time
// left, with their own arithmetic. These tests run those functions in the
// real shells over many inputs, valid and not, and hold them to the Go
// functions, which are in turn held to the time package.

func randomTimestamp(rng *rand.Rand) string {
	pick := func(s ...string) string { return s[rng.Intn(len(s))] }
	two := func(max int) string { return fmt.Sprintf("%02d", rng.Intn(max+1)) }
	var b strings.Builder
	fmt.Fprintf(&b, "%04d-%s-%s", rng.Intn(10000), two(13), two(32))
	b.WriteString(pick("T", "T", "T", "t", " ", "x"))
	fmt.Fprintf(&b, "%s:%s:%s", two(24), two(60), two(60))
	b.WriteString(pick("", "", ".5", ".123456789", "."))
	switch rng.Intn(6) {
	case 0:
		b.WriteString("Z")
	case 1:
		b.WriteString(pick("z", "", "ZZ", "+1", "UTC", "utc", "UT"))
	default:
		b.WriteString(pick("+", "-") + two(25) + pick(":", "", ":") + two(61))
	}
	s := b.String()
	if rng.Intn(20) == 0 { // a byte too many or too few
		s = s[:rng.Intn(len(s))]
	}
	return s
}

func randomWindow(rng *rand.Rand) string {
	var b strings.Builder
	for n := rng.Intn(4); n > 0; n-- {
		b.WriteString(strconv.Itoa(rng.Intn(100)))
		if rng.Intn(10) == 0 {
			b.WriteString("0000000000") // too many digits
		}
		b.WriteString([]string{"h", "m", "s", "", "x", "ms", "."}[rng.Intn(7)])
	}
	return b.String()
}

// runFunction feeds inputs, one a line, to the shell function fn of the
// hook for sh, and returns the variable out after each call ("x" if empty).
func runFunction(t *testing.T, sh, fn, out, extra string, inputs []string) []string {
	t.Helper()
	testenv.Shell(t, sh)
	script, err := hook(sh, shell.HookOptions{Path: "/nonexistent/awsenv"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	hook := filepath.Join(dir, "hook")
	in := filepath.Join(dir, "in")
	testenv.WriteFile(t, hook, script, 0o644)
	testenv.WriteFile(t, in, strings.Join(inputs, "\n")+"\n", 0o644)
	run := fmt.Sprintf(`. %s
while IFS= read -r line; do
  %s "$line" %s
  printf '%%s\n' "${%s:-x}"
done < %s`, hook, fn, extra, out, in)
	stdout, stderr, code := testenv.RunShell(t, sh, run, testenv.CleanEnv(dir))
	if code != 0 || stderr != "" {
		t.Fatalf("%s: exit %d, stderr:\n%s", sh, code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(inputs) {
		t.Fatalf("%s: %d results for %d inputs", sh, len(lines), len(inputs))
	}
	return lines
}

func TestShellEpochMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	var inputs []string
	for i := 0; i < 3000; i++ {
		inputs = append(inputs, randomTimestamp(rng))
	}
	for i := 0; i < 1000; i++ { // valid ones, every day of 4 centuries
		inputs = append(inputs, randomTime(rng).Format(randomLayout(rng)))
	}
	inputs = append(inputs, "0000-01-01T00:00:00Z", "0000-02-29T00:00:00Z", "9999-12-31T23:59:59Z",
		"1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "08-08-08T08:08:08Z", "2009-09-09T09:09:09+09:09", "2026-12-01T08:54:59", "2026-12-01T08:54:59UTC", "2026-12-01T08:54:59.5-03:30")
	for _, sh := range []string{"bash", "zsh"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			got := runFunction(t, sh, "_awsenv_epoch", "_awsenv_epoch_secs", "", inputs)
			for i, in := range inputs {
				want := "x"
				if tm, ok := session.ParseExpiry(in); ok {
					want = strconv.FormatInt(tm.Unix(), 10)
				}
				if got[i] != want {
					t.Errorf("%s: _awsenv_epoch %q = %s, ParseExpiry = %s", sh, in, got[i], want)
				}
			}
		})
	}
}

func TestShellWindowMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	inputs := []string{"", "600", "10m", "90s", "1h30m", "1.5h", "0"}
	for i := 0; i < 2000; i++ {
		inputs = append(inputs, randomWindow(rng))
	}
	for _, sh := range []string{"bash", "zsh"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			got := runFunction(t, sh, "_awsenv_window", "_awsenv_window_secs", "77", inputs)
			for i, in := range inputs {
				want := strconv.FormatInt(int64(session.ParseWindow(in, 77e9)/1e9), 10)
				if got[i] != want {
					t.Errorf("%s: _awsenv_window %q = %s, ParseWindow = %s", sh, in, got[i], want)
				}
			}
		})
	}
}

func TestShellLeftMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	inputs := []string{"-1", "0", "1", "59", "60", "3599", "3600", "3660", "86399", "86400", "90000", "253402300799"}
	for i := 0; i < 2000; i++ {
		inputs = append(inputs, strconv.Itoa(rng.Intn(400000)-100))
	}
	for _, sh := range []string{"bash", "zsh"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			got := runFunction(t, sh, "_awsenv_left", "_awsenv_left_text", "", inputs)
			for i, in := range inputs {
				n, _ := strconv.ParseInt(in, 10, 64)
				if want := session.FormatLeft(n); got[i] != want {
					t.Errorf("%s: _awsenv_left %s = %s, FormatLeft = %s", sh, in, got[i], want)
				}
			}
		})
	}
}

func randomTime(rng *rand.Rand) time.Time {
	// Years 0001..9999, any second.
	secs := rng.Int63n(253402300799+62135596800) - 62135596800
	zone := time.UTC
	if rng.Intn(2) == 0 {
		zone = time.FixedZone("", (rng.Intn(47)-23)*1800)
	}
	return time.Unix(secs, rng.Int63n(1e9)).In(zone)
}

func randomLayout(rng *rand.Rand) string {
	return []string{time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"}[rng.Intn(3)]
}

// TestHookIFS runs the bash and zsh hooks with IFS=1, which used to split
// the time left ("1h11m" has ones in it) and the saved status into words
// and print an error at every prompt: in bash always, in zsh with
// sh_word_split, which many bash-compatible setups turn on.
func TestHookIFS(t *testing.T) {
	for _, sh := range []string{"bash", "zsh"} {
		t.Run(sh, func(t *testing.T) {
			t.Parallel()
			testenv.Shell(t, sh)
			script, err := hook(sh, shell.HookOptions{Path: "/nonexistent/awsenv"})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			hookFile := filepath.Join(dir, "hook")
			testenv.WriteFile(t, hookFile, script, 0o644)
			// 1h11m and 11m, with 30 seconds to spare before the figure
			// changes; then expired.
			fresh := time.Now().Add(time.Hour + 11*time.Minute + 30*time.Second).UTC().Format(time.RFC3339)
			soon := time.Now().Add(9*time.Minute + 30*time.Second).UTC().Format(time.RFC3339)
			gone := time.Now().Add(-11 * time.Minute).UTC().Format(time.RFC3339)
			opts := ""
			if sh == "zsh" {
				opts = "setopt sh_word_split"
			}
			run := fmt.Sprintf(`. %s
%s
IFS=1
export AWS_ACCESS_KEY_ID=AKIA1111 AWSENV_PROFILE=p1
for x in %s %s %s; do
  export AWS_CREDENTIAL_EXPIRATION=$x
  (exit 11); _awsenv_hook; echo "status=$? [$AWSENV_PROMPT]"
  _awsenv_hook; echo "status=$? [$AWSENV_PROMPT]"
done`, hookFile, opts, fresh, soon, gone)
			stdout, stderr, code := testenv.RunShell(t, sh, run, testenv.CleanEnv(dir))
			want := "status=11 [p1 1h11m]\nstatus=0 [p1 1h11m]\nstatus=11 [p1 9m]\nstatus=0 [p1 9m]\nstatus=11 [p1 expired]\nstatus=0 [p1 expired]\n"
			if code != 0 || stdout != want {
				t.Errorf("%s with IFS=1: status %d, stdout:\n%s\nwant:\n%s", sh, code, stdout, want)
			}
			wantErr := fmt.Sprintf(session.Messages.SoonManaged+"\n"+session.Messages.ExpiredManaged+"\n", "p1", "9m", "p1")
			if stderr != wantErr {
				t.Errorf("%s with IFS=1: stderr:\n%s\nwant:\n%s", sh, stderr, wantErr)
			}
		})
	}
}
