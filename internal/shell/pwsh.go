package shell

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// pwsh writes PowerShell. Two facts shape it:
//   - `awsenv use p | Invoke-Expression` hands PowerShell one line at a
//     time, so a statement may never span lines;
//   - PowerShell decodes a native command's output with the console's code
//     page, which is not UTF-8 on many Windows machines.
//
// So the output is printable ASCII only: every other character is written
// as [char]0xNNNN and joined to single-quoted runs with +. Inside single
// quotes PowerShell treats ' and the typographic quotes U+2018..U+201B as
// quote characters; those never appear literally, and ' is doubled.
type pwsh struct{}

func (pwsh) Name() string { return "pwsh" }

// ErrInvalidUTF8 is returned for bytes a Windows (UTF-16) environment
// cannot hold.
var ErrInvalidUTF8 = errors.New("is not valid UTF-8, which a PowerShell environment variable cannot hold")

func (pwsh) Export(b *strings.Builder, name, value string) error {
	q, err := QuotePwsh(value)
	if err != nil {
		return err
	}
	b.WriteString("$Env:")
	b.WriteString(name)
	b.WriteString(" = ")
	b.WriteString(q)
	b.WriteString("\n")
	return nil
}

// Remove-Item, not assignment of "": an empty variable still exists for
// the tools that test whether it is set. Test-Path keeps $? true when it
// was not set.
func (pwsh) Unset(b *strings.Builder, name string) {
	fmt.Fprintf(b, "if (Test-Path Env:%s) { Remove-Item Env:%s }\n", name, name)
}

// QuotePwsh returns a PowerShell string expression whose value is s. It
// always begins with a quoted string, so that + concatenates rather than
// adding character codes.
func QuotePwsh(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", ErrInvalidUTF8
	}
	var b strings.Builder
	b.WriteByte('\'')
	open := true
	for _, r := range s {
		if r >= 0x20 && r < 0x7f {
			if !open {
				b.WriteString(" + '")
				open = true
			}
			if r == '\'' {
				b.WriteByte('\'')
			}
			b.WriteRune(r)
			continue
		}
		if open {
			b.WriteByte('\'')
			open = false
		}
		// UTF-16 code units: [char] holds one, and astral characters such
		// as emoji are two.
		if r > 0xffff {
			r -= 0x10000
			fmt.Fprintf(&b, " + [char]0x%04X + [char]0x%04X", 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			continue
		}
		fmt.Fprintf(&b, " + [char]0x%04X", r)
	}
	if open {
		b.WriteByte('\'')
	}
	return b.String(), nil
}
