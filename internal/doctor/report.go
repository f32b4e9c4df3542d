package doctor

import (
	"encoding/json"
	"fmt"
	"github.com/awsenv/awsenv/internal/tty"
	"io"
	"strings"
	"text/tabwriter"
)

// Status is the outcome of one finding.
type Status string

const (
	OK      Status = "ok"
	Warning Status = "warning"
	Error   Status = "error"
	// Skipped is a check that could not run (no network, nothing to
	// check); it does not change the exit status.
	Skipped Status = "skipped"
)

// Finding is one thing a check found: what, why it matters and the fix.
type Finding struct {
	// Check is a stable identifier of the check: env, precedence, profile,
	// cache, clock, reachability, identity, files, tooling, duration.
	Check   string   `json:"check"`
	Status  Status   `json:"status"`
	Title   string   `json:"title"`
	Found   string   `json:"found"`
	Why     string   `json:"why,omitempty"`
	Fix     string   `json:"fix,omitempty"`
	Details []string `json:"details,omitempty"`
	// Fixed says what `doctor --fix` changed.
	Fixed string `json:"fixed,omitempty"`
}

// Setting is one row of the `aws configure list`-style table.
type Setting struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Type     string `json:"type"`
	Location string `json:"location"`
}

// Summary counts findings by status.
type Summary struct {
	OK      int `json:"ok"`
	Warning int `json:"warning"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

// Report is the whole of `awsenv doctor`'s output. Its JSON form is a
// stable interface: fields are added, never renamed or removed.
type Report struct {
	Version       int       `json:"version"`
	Profile       string    `json:"profile"`
	ProfileSource string    `json:"profile_source"`
	Settings      []Setting `json:"settings"`
	Findings      []Finding `json:"findings"`
	Summary       Summary   `json:"summary"`
}

// ReportVersion is the version of the JSON report.
const ReportVersion = 1

// Add appends findings and keeps the summary in step.
func (r *Report) Add(fs ...Finding) {
	for _, f := range fs {
		r.Findings = append(r.Findings, f)
		switch f.Status {
		case OK:
			r.Summary.OK++
		case Warning:
			r.Summary.Warning++
		case Error:
			r.Summary.Error++
		case Skipped:
			r.Summary.Skipped++
		}
	}
}

// Failed reports whether any finding is an error.
func (r *Report) Failed() bool { return r.Summary.Error > 0 }

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	if r.Settings == nil {
		r.Settings = []Setting{}
	}
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return WriteJSON(w, r)
}

// WriteJSON writes v indented, with <, > and & as they are: the output is
// read by people and jq, not embedded in HTML.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Style says how text output looks: symbols and colour at a terminal,
// plain words when piped, so that grep and logs see no escape codes.
type Style struct{ Terminal bool }

const (
	reset  = "\x1b[0m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	red    = "\x1b[31m"
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
)

// Mark is the status marker: a coloured symbol at a terminal, a bracketed
// word otherwise.
func (s Style) Mark(st Status) string {
	if !s.Terminal {
		switch st {
		case OK:
			return "[ok]     "
		case Warning:
			return "[warning]"
		case Skipped:
			return "[skipped]"
		}
		return "[error]  "
	}
	switch st {
	case OK:
		return green + "✓" + reset
	case Warning:
		return yellow + "!" + reset
	case Skipped:
		return dim + "-" + reset
	}
	return red + "✗" + reset
}

func (s Style) paint(code, text string) string {
	if !s.Terminal || text == "" {
		return text
	}
	return code + text + reset
}

// Bold is text in bold at a terminal.
func (s Style) Bold(text string) string { return s.paint(bold, text) }

// Dim is text in a faint colour at a terminal.
func (s Style) Dim(text string) string { return s.paint(dim, text) }

// WriteText writes the report for people.
func (r *Report) WriteText(w io.Writer, st Style) error {
	var b strings.Builder
	if r.Profile != "" {
		fmt.Fprintf(&b, "%s %q (%s)\n\n", st.Bold("awsenv doctor: profile"), r.Profile, tty.Printable(r.ProfileSource))
	} else {
		fmt.Fprintf(&b, "%s\n\n", st.Bold("awsenv doctor"))
	}
	if len(r.Settings) > 0 {
		WriteSettings(&b, r.Settings)
		b.WriteString("\n")
	}
	indent := "    "
	if !st.Terminal {
		indent = "          "
	}
	for _, f := range r.Findings {
		// Findings quote names and values from the files: printable
		// before the report's own colours are added.
		p := tty.Printable
		fmt.Fprintf(&b, "%s %s: %s\n", st.Mark(f.Status), st.Bold(p(f.Title)), oneLine(p(f.Found)))
		if (f.Status != OK && f.Status != Skipped) || f.Fixed != "" {
			for _, d := range f.Details {
				writeIndented(&b, indent+"  ", p(d))
			}
			if f.Why != "" {
				writeIndented(&b, indent, st.Dim("why: ")+p(f.Why))
			}
			if f.Fixed != "" {
				writeIndented(&b, indent, "fixed: "+p(f.Fixed))
			} else if f.Fix != "" {
				writeIndented(&b, indent, "fix: "+p(f.Fix))
			}
		} else {
			for _, d := range f.Details {
				writeIndented(&b, indent+"  ", st.Dim(p(d)))
			}
		}
	}
	fmt.Fprintf(&b, "\n%d error(s), %d warning(s), %d ok, %d skipped\n", r.Summary.Error, r.Summary.Warning, r.Summary.OK, r.Summary.Skipped)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSettings writes the Name / Value / Type / Location table.
func WriteSettings(w io.Writer, rows []Setting) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Name\tValue\tType\tLocation")
	fmt.Fprintln(tw, "----\t-----\t----\t--------")
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", tty.Cell(s.Name), tty.Cell(s.Value), tty.Cell(s.Type), tty.Cell(s.Location))
	}
	tw.Flush()
}

func writeIndented(b *strings.Builder, indent, text string) {
	for _, line := range strings.Split(text, "\n") {
		b.WriteString(indent + line + "\n")
	}
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
