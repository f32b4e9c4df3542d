// Package awsconfig reads the AWS shared config and credentials files the
// way the AWS CLI and SDKs do, keeping the file and line of every value so
// that errors and `awsenv doctor` can point at them. It is awsenv's only
// reader of those files. README.md lists the rules it follows and, where
// the AWS CLI (botocore) and the Go SDK disagree, which one it takes.
//
// It is cheap because `awsenv use` reads both files on every call and
// generated SSO configs hold thousands of profiles: a file is converted to
// a string once, keys and values are substrings of it, and a profile's
// maps are built only when the profile is asked for.
package awsconfig

import (
	"fmt"
	"strings"
)

// Value is one key's value and where it was written.
type Value struct {
	Value string
	File  string
	Line  int
	// Sub holds a nested block ("s3 =" followed by indented lines), as in
	// a [services] section.
	Sub map[string]Value
}

// Section is one [header] block.
type Section struct {
	Header string // the text between [ and ], trimmed
	File   string
	Line   int
	Keys   map[string]Value
}

// SyntaxError is a line neither the CLI nor the SDKs can read. It never
// quotes the line: a malformed line is often a pasted secret.
type SyntaxError struct {
	File string
	Line int
	Why  string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Why)
}

// Warning is something awsenv reads one way and at least one of the AWS
// CLI and the SDKs reads another (see README.md), for `awsenv doctor`.
// Like SyntaxError it never quotes a value.
type Warning struct {
	File string
	Line int
	Why  string
}

func (w Warning) String() string { return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Why) }

// entry is one "key = value" line, or a line of an indented block. It
// holds offsets into the file's text, not strings, so that the slice of
// entries has no pointers for the garbage collector to scan.
type entry struct {
	key, value span
	line       int32
	sub        bool // a line of the block under the nearest entry before it that is not sub
}

// span is text[off:end], or, when off < 0, extra[-off-1]: a string that is
// not in the text (a key lower-cased, a value joined with its
// continuation lines).
type span struct{ off, end int32 }

// rawSection is a [header] and the range of its entries.
type rawSection struct {
	header     span
	line       int32
	first, end int32 // entries[first:end]
	next       int32 // the next section of the same profile in the same file, or -1
}

// parsed is one file, read but not yet turned into maps.
type parsed struct {
	path     string
	text     string
	sections []rawSection
	entries  []entry
	extra    []string
	warnings []Warning
}

func (p *parsed) str(s span) string {
	if s.off < 0 {
		return p.extra[-s.off-1]
	}
	return p.text[s.off:s.end]
}

// newSpan stores s, which is not a substring of the text.
func (p *parsed) newSpan(s string) span {
	p.extra = append(p.extra, s)
	return span{off: int32(-len(p.extra)), end: 0}
}

// parse reads text in the AWS dialect of INI; README.md has the rules.
// Every line of the file is checked, also in sections no profile uses,
// because the CLI refuses the whole file for one bad line. It works on
// offsets into text and allocates only its few slices.
func parse(path, text string) (*parsed, error) {
	if strings.HasPrefix(text, "\xef\xbb\xbf") {
		return nil, syntaxError(path, 1, "the file starts with a byte order mark (BOM), which the AWS CLI and SDKs do not read: save it as UTF-8 without BOM")
	}
	if len(text) > MaxFileSize {
		return nil, syntaxError(path, 1, "the file is larger than awsenv reads")
	}
	p := &parsed{
		path: path,
		text: text,
		// Upper bounds, so that neither slice grows while parsing.
		sections: make([]rawSection, 0, strings.Count(text, "[")),
		entries:  make([]entry, 0, strings.Count(text, "\n")+1),
	}
	var (
		cur  = -1 // index of the current section
		prop = -1 // index of the current property, for continuations and blocks
		n    int32
	)
	for start := 0; start < len(text); {
		n++
		end := strings.IndexByte(text[start:], '\n')
		next := len(text)
		if end < 0 {
			end = len(text)
		} else {
			end += start
			next = end + 1
		}
		lineStart := start
		start = next
		if end > lineStart && text[end-1] == '\r' {
			end--
		}
		ts, te := trim(text, lineStart, end)
		if ts == te || text[ts] == '#' || text[ts] == ';' {
			continue
		}
		indented := ts > lineStart
		if indented && prop >= 0 {
			if err := p.indented(prop, ts, te, n); err != nil {
				return nil, err
			}
			continue
		}
		if text[ts] == '[' {
			hs, he, err := p.sectionHeader(ts, te, n)
			if err != nil {
				return nil, err
			}
			p.sections = append(p.sections, rawSection{header: span{int32(hs), int32(he)}, line: n, first: int32(len(p.entries)), end: int32(len(p.entries)), next: -1})
			cur, prop = len(p.sections)-1, -1
			continue
		}
		if cur < 0 {
			return nil, syntaxError(path, int(n), "a value before any [section] header")
		}
		e, err := p.property(ts, te, n)
		if err != nil {
			return nil, err
		}
		p.entries = append(p.entries, e)
		prop = len(p.entries) - 1
		p.sections[cur].end = int32(len(p.entries))
	}
	return p, nil
}

// isSpace is the whitespace of strings.TrimSpace that can appear in a
// line (ASCII; other bytes are part of names and values).
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// trim narrows text[a:b] to leave out surrounding whitespace.
func trim(text string, a, b int) (int, int) {
	for a < b && isSpace(text[a]) {
		a++
	}
	for b > a && isSpace(text[b-1]) {
		b--
	}
	return a, b
}

// sectionHeader returns where the name between the brackets of a header
// line is: in "[ profile a ] ; comment" it is "profile a".
func (p *parsed) sectionHeader(ts, te int, n int32) (int, int, error) {
	for i := ts; i < te; i++ {
		if p.text[i] == '#' || p.text[i] == ';' {
			te = i
			break
		}
	}
	ts, te = trim(p.text, ts, te)
	if te-ts < 2 || p.text[te-1] != ']' {
		return 0, 0, syntaxError(p.path, int(n), "section header without a closing ]")
	}
	hs, he := trim(p.text, ts+1, te-1)
	return hs, he, nil
}

// property splits "key = value # comment". Both the CLI and the Go SDK
// take ':' as well as '=', whichever comes first.
func (p *parsed) property(ts, te int, n int32) (entry, error) {
	text := p.text
	i, fold := ts, false // fold: the key may need lower-casing
	for ; i < te; i++ {
		c := text[i]
		if c == '=' || c == ':' {
			break
		}
		fold = fold || ('A' <= c && c <= 'Z') || c >= 0x80
	}
	if i == te {
		return entry{}, syntaxError(p.path, int(n), "expected key = value")
	}
	ks, ke := trim(text, ts, i)
	if ks == ke {
		return entry{}, syntaxError(p.path, int(n), "a property without a name before the = sign")
	}
	vs, ve := i+1, te
	// A comment after a value needs whitespace before it: in
	// "url = http://x/#frag" the # is part of the value.
	if j := inlineComment(text, vs, ve); j >= 0 {
		ve = j
		if a, b := trim(text, vs, ve); a < b {
			p.warnings = append(p.warnings, Warning{p.path, int(n), "a comment after the value: the SDKs drop it, but the AWS CLI reads it as part of the value; put the comment on a line of its own"})
		}
	}
	vs, ve = trim(text, vs, ve)
	key := span{int32(ks), int32(ke)}
	if fold {
		key = p.keySpan(ks, ke)
	}
	return entry{key: key, value: span{int32(vs), int32(ve)}, line: n}, nil
}

// keySpan is text[a:b] lower-cased: keys are case-insensitive for the CLI
// and the SDKs alike (Unicode lower case in both). Most keys are ASCII
// lower case already and stay a span of the text.
func (p *parsed) keySpan(a, b int) span {
	for i := a; i < b; i++ {
		if c := p.text[i]; ('A' <= c && c <= 'Z') || c >= 0x80 {
			if l := strings.ToLower(p.text[a:b]); l != p.text[a:b] {
				return p.newSpan(l)
			}
			break
		}
	}
	return span{int32(a), int32(b)}
}

// indented reads an indented line under property prop: a line of its
// block if the property has no value of its own ("s3 =" then
// "  addressing_style = path"), else a continuation of its value.
func (p *parsed) indented(prop, ts, te int, n int32) error {
	e := &p.entries[prop]
	if e.value.off < 0 || e.value.end > e.value.off {
		// Continuations keep comment characters: the SDKs do.
		e.value = p.newSpan(p.str(e.value) + "\n" + p.text[ts:te])
		return nil
	}
	i := strings.IndexByte(p.text[ts:te], '=')
	if i < 0 {
		return syntaxError(p.path, int(n), "expected key = value in the indented block under "+p.str(e.key))
	}
	ks, ke := trim(p.text, ts, ts+i)
	if ks == ke {
		return syntaxError(p.path, int(n), "a property without a name before the = sign in the indented block under "+p.str(e.key))
	}
	vs, ve := trim(p.text, ts+i+1, te)
	p.entries = append(p.entries, entry{key: p.keySpan(ks, ke), value: span{int32(vs), int32(ve)}, line: n, sub: true})
	p.sections[len(p.sections)-1].end = int32(len(p.entries))
	return nil
}

// inlineComment returns where a comment starts in text[a:b], the text
// after the = sign: at a # or ; that follows a space or tab.
func inlineComment(text string, a, b int) int {
	for i := a + 1; i < b; i++ {
		if c := text[i]; (c == '#' || c == ';') && (text[i-1] == ' ' || text[i-1] == '\t') {
			return i
		}
	}
	return -1
}

func syntaxError(file string, line int, why string) error {
	return &SyntaxError{File: file, Line: line, Why: why}
}

// section turns section i of p into a Section with its maps.
func (p *parsed) section(i int) *Section {
	rs := &p.sections[i]
	s := &Section{Header: p.str(rs.header), File: p.path, Line: int(rs.line), Keys: make(map[string]Value, rs.end-rs.first)}
	p.fill(s.Keys, rs)
	return s
}

// fill puts the keys of section rs into keys, later lines winning.
func (p *parsed) fill(keys map[string]Value, rs *rawSection) {
	var last string
	for _, e := range p.entries[rs.first:rs.end] {
		k := p.str(e.key)
		if !e.sub {
			keys[k] = Value{Value: p.str(e.value), File: p.path, Line: int(e.line)}
			last = k
			continue
		}
		v := keys[last]
		if v.Sub == nil {
			v.Sub = map[string]Value{}
		}
		v.Sub[k] = Value{Value: p.str(e.value), File: p.path, Line: int(e.line)}
		keys[last] = v
	}
}
