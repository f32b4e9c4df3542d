// Package shelltest reads back the statements awsenv's emitters write,
// strictly, the way each shell's parser would: anything an emitter must
// never produce is an error. Fuzz and golden tests use it to check every
// byte without starting a shell per input; the real shells check the same
// values in the end-to-end tests.
package shelltest

import (
	"errors"
	"strconv"
	"strings"
)

// ErrSyntax is a statement the shell would not read as intended.
var ErrSyntax = errors.New("not a statement the emitter may write")

// DecodePOSIX reads `export NAME='...';` where the value is single-quoted
// runs joined by \'.
func DecodePOSIX(stmt string) (name, value string, err error) {
	rest, ok := strings.CutPrefix(stmt, "export ")
	if !ok {
		return "", "", ErrSyntax
	}
	name, rest, ok = strings.Cut(rest, "=")
	if !ok || !strings.HasSuffix(rest, ";\n") {
		return "", "", ErrSyntax
	}
	rest = strings.TrimSuffix(rest, ";\n")
	var b strings.Builder
	for len(rest) > 0 {
		switch {
		case rest[0] == '\'':
			end := strings.IndexByte(rest[1:], '\'')
			if end < 0 {
				return "", "", ErrSyntax
			}
			b.WriteString(rest[1 : 1+end])
			rest = rest[2+end:]
		case strings.HasPrefix(rest, `\'`):
			b.WriteByte('\'')
			rest = rest[2:]
		default:
			return "", "", ErrSyntax
		}
	}
	return name, b.String(), nil
}

// DecodeFish reads `set -gx NAME '...';` where inside the quotes only \\
// and \' are escapes and any other backslash is literal.
func DecodeFish(stmt string) (name, value string, err error) {
	rest, ok := strings.CutPrefix(stmt, "set -gx ")
	if !ok {
		return "", "", ErrSyntax
	}
	name, rest, ok = strings.Cut(rest, " ")
	if !ok || !strings.HasPrefix(rest, "'") || !strings.HasSuffix(rest, "';\n") {
		return "", "", ErrSyntax
	}
	body := rest[1 : len(rest)-3]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\'' {
			return "", "", ErrSyntax // an unescaped quote would end the string
		}
		if c == '\\' && i+1 < len(body) && (body[i+1] == '\\' || body[i+1] == '\'') {
			b.WriteByte(body[i+1])
			i++
			continue
		}
		if c == '\\' && i+1 == len(body) {
			return "", "", ErrSyntax // it would escape the closing quote
		}
		b.WriteByte(c)
	}
	return name, b.String(), nil
}

// DecodePwsh reads `$Env:NAME = '...' + [char]0xNNNN + ...` on one line of
// printable ASCII, as Invoke-Expression receives it line by line.
func DecodePwsh(stmt string) (name, value string, err error) {
	rest, ok := strings.CutPrefix(stmt, "$Env:")
	if !ok || !strings.HasSuffix(rest, "\n") {
		return "", "", ErrSyntax
	}
	rest = strings.TrimSuffix(rest, "\n")
	for i := 0; i < len(rest); i++ {
		if rest[i] < 0x20 || rest[i] >= 0x7f {
			return "", "", ErrSyntax
		}
	}
	name, rest, ok = strings.Cut(rest, " = ")
	if !ok || !strings.HasPrefix(rest, "'") {
		return "", "", ErrSyntax // must start with a string, or + adds numbers
	}
	var units []uint16
	for first := true; len(rest) > 0; first = false {
		if !first {
			if rest, ok = strings.CutPrefix(rest, " + "); !ok {
				return "", "", ErrSyntax
			}
		}
		switch {
		case strings.HasPrefix(rest, "[char]0x"):
			hex := rest[len("[char]0x"):]
			if len(hex) < 4 {
				return "", "", ErrSyntax
			}
			n, err := strconv.ParseUint(hex[:4], 16, 16)
			if err != nil {
				return "", "", ErrSyntax
			}
			units = append(units, uint16(n))
			rest = hex[4:]
		case strings.HasPrefix(rest, "'"):
			// Printable ASCII only (checked above), so ' is the one quote
			// character that can occur: doubled it is a quote, alone it ends.
			i := 1
			for {
				if i >= len(rest) {
					return "", "", ErrSyntax
				}
				if rest[i] == '\'' {
					if i+1 < len(rest) && rest[i+1] == '\'' {
						units = append(units, '\'')
						i += 2
						continue
					}
					break
				}
				units = append(units, uint16(rest[i]))
				i++
			}
			rest = rest[i+1:]
		default:
			return "", "", ErrSyntax
		}
	}
	return name, decodeUTF16(units), nil
}

func decodeUTF16(u []uint16) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		if r >= 0xd800 && r < 0xdc00 && i+1 < len(u) && u[i+1] >= 0xdc00 && u[i+1] < 0xe000 {
			r = 0x10000 + (r-0xd800)<<10 + (rune(u[i+1]) - 0xdc00)
			i++
		}
		b.WriteRune(r)
	}
	return b.String()
}
