// Package awsconfig reads the AWS shared config and credentials files the
// way the AWS CLI and SDKs do, keeping the file and line of every value so
// that errors and `awsenv doctor` can point at them. It is small and
// allocation-light because `awsenv use` reads it on every call.
package awsconfig

import (
	"bytes"
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

// parseINI reads data in the AWS dialect of INI: comments start with # or
// ; at the start of a line, keys are case-sensitive, an indented line
// continues the previous value or, after "key =" with no value, forms a
// nested block. CRLF line ends are accepted. A UTF-8 byte order mark is
// not: the AWS CLI and the Go SDK read it as part of the first line and so
// lose the first section, and awsenv must see the files as they do.
func parseINI(file string, data []byte) ([]*Section, error) {
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return nil, syntaxError(file, 1, "the file starts with a byte order mark (BOM), which the AWS CLI and SDKs do not read: save it as UTF-8 without BOM")
	}
	var (
		sections []*Section
		cur      *Section
		lastKey  string
	)
	for n := 1; len(data) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		trimmed := strings.TrimSpace(string(line))
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		indented := line[0] == ' ' || line[0] == '\t'
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				return nil, syntaxError(file, n, "section header without a closing ]")
			}
			cur = &Section{
				Header: strings.TrimSpace(trimmed[1:end]),
				File:   file,
				Line:   n,
				Keys:   map[string]Value{},
			}
			sections = append(sections, cur)
			lastKey = ""
			continue
		}
		if cur == nil {
			return nil, syntaxError(file, n, "a value before any [section] header")
		}
		if indented && lastKey != "" {
			prev := cur.Keys[lastKey]
			if k, v, ok := splitKV(trimmed); ok && (prev.Value == "" || prev.Sub != nil) {
				if prev.Sub == nil {
					prev.Sub = map[string]Value{}
				}
				prev.Sub[k] = Value{Value: v, File: file, Line: n}
			} else {
				prev.Value += "\n" + trimmed
			}
			cur.Keys[lastKey] = prev
			continue
		}
		k, v, ok := splitKV(trimmed)
		if !ok {
			return nil, syntaxError(file, n, "expected key = value")
		}
		cur.Keys[k] = Value{Value: v, File: file, Line: n}
		lastKey = k
	}
	return sections, nil
}

func splitKV(s string) (key, value string, ok bool) {
	i := strings.IndexByte(s, '=')
	if i <= 0 {
		return "", "", false
	}
	key = strings.TrimSpace(s[:i])
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimSpace(s[i+1:]), true
}

func syntaxError(file string, line int, why string) error {
	return &SyntaxError{File: file, Line: line, Why: why}
}
