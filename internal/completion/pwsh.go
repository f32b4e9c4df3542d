package completion

import (
	"fmt"
	"strings"
)

// pwshQuote quotes s as a PowerShell single-quoted string.
func pwshQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func pwshCompletion(m Model) string {
	var b strings.Builder
	b.WriteString("# PowerShell completion for awsenv.\n" + generatedBy("pwsh"))
	b.WriteString(`# Install: add this line to $PROFILE:
#     awsenv completion pwsh | Out-String | Invoke-Expression

$__awsenvCommands = [ordered]@{
`)
	for _, c := range m.Commands {
		fmt.Fprintf(&b, "    %s = %s\n", pwshQuote(c.Name), pwshQuote(c.Help))
	}
	b.WriteString("}\n\n# For each command: its flags, with what their values complete to.\n$__awsenvFlags = @{\n")
	writeFlags := func(key string, flags []Flag) {
		fmt.Fprintf(&b, "    %s = [ordered]@{\n", pwshQuote(key))
		for _, f := range flags {
			v := "$null"
			if f.Takes {
				v = pwshQuote(wordsOrSource(f.Words, f.Source))
			}
			fmt.Fprintf(&b, "        %s = @(%s, %s)\n", pwshQuote("--"+f.Name), v, pwshQuote(f.Help))
			if f.Short != 0 {
				fmt.Fprintf(&b, "        %s = @(%s, %s)\n", pwshQuote("-"+string(f.Short)), v, pwshQuote(f.Help))
			}
		}
		b.WriteString("    }\n")
	}
	writeFlags("", m.Global)
	for _, c := range m.Commands {
		writeFlags(c.Name, c.Flags)
	}
	b.WriteString("}\n\n# For each command: what its positional arguments complete to, in order.\n$__awsenvArgs = @{\n")
	for _, c := range m.Commands {
		var args []string
		for _, a := range c.Args {
			args = append(args, pwshQuote(wordsOrSource(a.Words, a.Source)))
		}
		if len(args) == 0 {
			fmt.Fprintf(&b, "    %s = @()\n", pwshQuote(c.Name))
		} else {
			fmt.Fprintf(&b, "    %s = @(%s)\n", pwshQuote(c.Name), strings.Join(args, ", "))
		}
	}
	b.WriteString(`}

Register-ArgumentCompleter -Native -CommandName awsenv, awsenv.exe -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    # The words before the one being completed, which ends at the cursor.
    $words = @($commandAst.CommandElements |
        Where-Object { $_.Extent.EndOffset -lt $cursorPosition } |
        ForEach-Object { $_.Extent.Text })

    $offer = {
        param($what, $help)
        $values = switch -Regex ($what) {
            '^@profiles$' { @(awsenv ` + ProfilesCommand + ` 2>$null) }
            '^@command$' { @(Get-Command -Name "$wordToComplete*" -ErrorAction SilentlyContinue | ForEach-Object Name) }
            '^@$' { @() }
            default { $what -split ' ' }
        }
        foreach ($v in $values) {
            if ($v -like "$wordToComplete*") {
                [System.Management.Automation.CompletionResult]::new($v, $v, 'ParameterValue', $(if ($help) { $help } else { $v }))
            }
        }
    }

    $cmd = ''
    $pos = 0
    $pending = $null  # the flag whose value the next word is
    for ($i = 1; $i -lt $words.Count; $i++) {
        $w = $words[$i]
        if ($null -ne $pending) { $pending = $null; continue }
        if ($w -eq '--' -and $cmd) {
            if ($i -eq $words.Count - 1) { & $offer '@command' }
            return
        }
        if ($w -like '-*') {
            $flags = $__awsenvFlags[$cmd]
            if ($w -notlike '*=*' -and $flags -and $flags.Contains($w) -and $null -ne $flags[$w][0]) { $pending = $w }
            continue
        }
        if (-not $cmd) { $cmd = $w } else { $pos++ }
    }
    if ($null -ne $pending) {
        & $offer $__awsenvFlags[$cmd][$pending][0]
        return
    }

    if ($wordToComplete -like '-*') {
        $flags = $__awsenvFlags[$cmd]
        foreach ($name in $flags.Keys) {
            if ($name -like "$wordToComplete*") {
                [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterName', $flags[$name][1])
            }
        }
        return
    }
    if (-not $cmd) {
        foreach ($name in $__awsenvCommands.Keys) {
            if ($name -like "$wordToComplete*") {
                [System.Management.Automation.CompletionResult]::new($name, $name, 'Command', $__awsenvCommands[$name])
            }
        }
        return
    }
    $positional = $__awsenvArgs[$cmd]
    if ($positional -and $pos -lt $positional.Count) {
        & $offer $positional[$pos]
    }
}
`)
	return b.String()
}
