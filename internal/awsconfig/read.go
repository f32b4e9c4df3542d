package awsconfig

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"unsafe"
)

// MaxFileSize caps what awsenv reads of a shared file. A generated config
// with 10,000 SSO profiles is about 2 MB; 32 MiB leaves room for sixteen
// times that and still bounds the memory a mistaken AWS_CONFIG_FILE (a
// log file, a disk image) can take.
const MaxFileSize = 32 << 20

// readFile reads a shared file with one open: it refuses anything that is
// not a regular file (AWS_CONFIG_FILE=/dev/zero would never end, a FIFO
// would hang) and anything larger than MaxFileSize. The open cannot block
// on a FIFO (see openNoBlock). A missing file returns fs.ErrNotExist.
func readFile(path string) (string, error) {
	if path == "" {
		return "", errNoPath
	}
	f, err := openNoBlock(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is %s, not a regular file: point AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE at a file", path, describeMode(st.Mode()))
	}
	if st.Size() > MaxFileSize {
		return "", fmt.Errorf("%s is %d MiB, more than the %d MiB awsenv reads of a shared file", path, st.Size()>>20, MaxFileSize>>20)
	}
	// Sized from Stat so that a read is one allocation; the limit still
	// holds if the file grows while it is read.
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if buf.Len() > MaxFileSize {
		return "", fmt.Errorf("%s grew past the %d MiB awsenv reads of a shared file", path, MaxFileSize>>20)
	}
	// The bytes are never written again: a string can share them rather
	// than copy a file that may be megabytes.
	b := buf.Bytes()
	if len(b) == 0 {
		return "", nil
	}
	return unsafe.String(&b[0], len(b)), nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file (" + m.String() + ")"
}
