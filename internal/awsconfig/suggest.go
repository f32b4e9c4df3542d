package awsconfig

import (
	"fmt"
	"strings"
)

// NotFoundError is an unknown profile, with the names it may have meant.
type NotFoundError struct {
	Profile         string
	ConfigFile      string
	CredentialsFile string
	Suggestions     []string
	// Ignored is a section that looks like the profile but that the rules
	// ignore, with where it is and why: "[profile my app] at
	// ~/.aws/config:3 is ignored: ...".
	Ignored string
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("profile %q is not in %s or %s", e.Profile, e.ConfigFile, e.CredentialsFile)
	if e.Ignored != "" {
		msg += "; " + e.Ignored
	}
	if len(e.Suggestions) > 0 {
		msg += "; did you mean " + strings.Join(e.Suggestions, ", ") + "?"
	}
	return msg + " (`awsenv list` shows every profile)"
}

// Lookup returns the profile or a NotFoundError that names close matches.
func (c *Config) Lookup(name string) (*Profile, error) {
	if p, ok := c.Profile(name); ok {
		return p, nil
	}
	return nil, &NotFoundError{
		Profile:         name,
		ConfigFile:      c.ConfigFile,
		CredentialsFile: c.CredentialsFile,
		Suggestions:     closest(name, c.Profiles(), 5),
		Ignored:         c.ignoredAs(name),
	}
}

// ignoredAs finds a section that names profile name but is ignored.
func (c *Config) ignoredAs(name string) string {
	for file, f := range c.files {
		if f == nil {
			continue
		}
		for i := range f.sections {
			header := f.str(f.sections[i].header)
			typ, rest := splitHeader(header)
			if rest != name && header != name || (file == inConfig && typ != "profile" && header != name) {
				continue
			}
			if cl, _, why := classify(file, header); cl == ignored && why != "" {
				return fmt.Sprintf("[%s] at %s:%d is ignored: %s", header, f.path, f.sections[i].line, why)
			}
		}
	}
	return ""
}

// closest returns up to max names within a small edit distance of name,
// or that contain it: "prod" finds "project1-prod".
func closest(name string, names []string, max int) []string {
	var out []string
	lname := strings.ToLower(name)
	for _, n := range names {
		ln := strings.ToLower(n)
		limit := len(name)/3 + 1
		if distance(lname, ln) <= limit || (len(lname) >= 3 && strings.Contains(ln, lname)) {
			out = append(out, n)
			if len(out) == max {
				break
			}
		}
	}
	return out
}

// distance is the Levenshtein distance over bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
