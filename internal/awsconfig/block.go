package awsconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// A block is a run of lines of the config file that a command of awsenv
// owns (`awsenv sso profiles --write`), between two marker comments:
//
//	# BEGIN awsenv ID
//	...
//	# END awsenv ID
//
// Everything outside the markers is the user's and is written back byte
// for byte: comments, order, blank lines, CRLF line ends.

// BlockMarkers are the first and last lines of block id.
func BlockMarkers(id string) (begin, end string) {
	return "# BEGIN awsenv " + id, "# END awsenv " + id
}

// BackupSuffix starts the name of the copy WriteBlock keeps of the file it
// changes: config.awsenv-backup-20261201T093000Z. A copy for every change,
// named by time, so that no earlier version is ever overwritten.
const BackupSuffix = ".awsenv-backup-"

// blockSpan finds block id in lines: the index of its BEGIN line and of
// its END line, or -1, -1.
func blockSpan(file string, lines []string, id string) (begin, end int, err error) {
	bm, em := BlockMarkers(id)
	begin, end = -1, -1
	for i, l := range lines {
		switch strings.TrimRight(l, "\r\n \t") {
		case bm:
			if begin >= 0 {
				return 0, 0, syntaxError(file, i+1, "a second "+bm+" line: remove one of the two awsenv blocks")
			}
			begin = i
		case em:
			if begin < 0 {
				return 0, 0, syntaxError(file, i+1, em+" without "+bm+" before it")
			}
			if end < 0 {
				end = i
			}
		}
	}
	if begin >= 0 && end < 0 {
		return 0, 0, syntaxError(file, begin+1, bm+" without "+em+" after it: restore the END line, or remove the block")
	}
	return begin, end, nil
}

// splitLines cuts data after each "\n", keeping the line ends.
func splitLines(data []byte) []string {
	var out []string
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, string(data))
			break
		}
		out = append(out, string(data[:i+1]))
		data = data[i+1:]
	}
	return out
}

// lineEnd is the file's line end: CRLF when its first line ends so.
func lineEnd(data []byte) string {
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// FindBlock returns the lines inside block id of data (markers left out,
// LF line ends), and whether the block is there.
func FindBlock(data []byte, file, id string) (body string, found bool, err error) {
	lines := splitLines(data)
	begin, end, err := blockSpan(file, lines, id)
	if err != nil || begin < 0 {
		return "", false, err
	}
	var b strings.Builder
	for _, l := range lines[begin+1 : end] {
		b.WriteString(strings.TrimRight(l, "\r\n") + "\n")
	}
	return b.String(), true, nil
}

// ReplaceBlock returns data with block id holding body (LF-separated
// lines, written with the file's line ends): in place of the old block, or
// appended after a blank line when there is none. An empty body removes
// the block. Nothing outside the block changes.
func ReplaceBlock(data []byte, file, id, body string) ([]byte, error) {
	lines := splitLines(data)
	begin, end, err := blockSpan(file, lines, id)
	if err != nil {
		return nil, err
	}
	eol := lineEnd(data)
	var block strings.Builder
	if body != "" {
		bm, em := BlockMarkers(id)
		block.WriteString(bm + eol)
		for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
			block.WriteString(strings.TrimRight(l, "\r") + eol)
		}
		block.WriteString(em + eol)
	}
	var out bytes.Buffer
	if begin >= 0 {
		for _, l := range lines[:begin] {
			out.WriteString(l)
		}
		out.WriteString(block.String())
		for _, l := range lines[end+1:] {
			out.WriteString(l)
		}
		return out.Bytes(), nil
	}
	out.Write(data)
	if body == "" {
		return out.Bytes(), nil
	}
	if n := len(lines); n > 0 {
		last := lines[n-1]
		if !strings.HasSuffix(last, "\n") {
			out.WriteString(eol)
		}
		if strings.TrimSpace(last) != "" {
			out.WriteString(eol)
		}
	}
	out.WriteString(block.String())
	return out.Bytes(), nil
}

// ProfilesOutsideBlock returns the names of the profiles data defines
// outside block id ("default" for [default]): the names a new block must
// not take.
func ProfilesOutsideBlock(data []byte, file, id string) ([]string, error) {
	outside, err := ReplaceBlock(data, file, id, "")
	if err != nil {
		return nil, err
	}
	sections, err := parseSections(file, string(outside))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range sections {
		kind, rest, _ := strings.Cut(s.Header, " ")
		switch {
		case s.Header == "default":
			names = append(names, "default")
		case kind == "profile" && strings.TrimSpace(rest) != "":
			names = append(names, strings.TrimSpace(rest))
		}
	}
	return names, nil
}

// WriteBlock puts body into block id of the config file at path (see
// ReplaceBlock). When that changes the file, it first copies the file to
// path + BackupSuffix + the UTC time, then replaces it atomically with the
// same mode (a temporary file in the same folder, synced, renamed over
// it). A path that is a symbolic link, as dotfile managers make, is
// written through: the link stays a link. A missing file is created 0600.
func WriteBlock(path, id, body string, now time.Time) (backup string, changed bool, err error) {
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("writing %s: %w", path, err)
	}
	mode := fs.FileMode(0o600)
	data, err := os.ReadFile(target)
	exists := err == nil
	switch {
	case exists:
		fi, err := os.Stat(target)
		if err != nil {
			return "", false, fmt.Errorf("writing %s: %w", path, err)
		}
		mode = fi.Mode().Perm()
	case !errors.Is(err, fs.ErrNotExist):
		return "", false, fmt.Errorf("reading %s: %w", path, err)
	}
	out, err := ReplaceBlock(data, path, id, body)
	if err != nil {
		return "", false, err
	}
	if exists && bytes.Equal(out, data) {
		return "", false, nil
	}
	if exists {
		backup = target + BackupSuffix + now.UTC().Format("20060102T150405Z")
		if err := writeNew(backup, data, mode); err != nil {
			return "", false, fmt.Errorf("backing up %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return "", false, fmt.Errorf("writing %s: %w", path, err)
	}
	if err := replaceFile(target, out, mode); err != nil {
		return backup, false, fmt.Errorf("writing %s: %w (the old file is kept as %s)", path, err, backup)
	}
	return backup, true, nil
}

// writeNew creates path, which must not exist, with data.
func writeNew(path string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// replaceFile writes data to a temporary file beside path and renames it
// over path, so that a reader sees the old file or the new one, never a
// part. Unlike cache.WriteFile it keeps the file's own mode and leaves the
// folder's alone: ~/.aws is the user's, not a cache.
func replaceFile(path string, data []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
