package tty

import "os"

// CONIN$ is the console's input even when stdin is redirected.
const terminalPath = "CONIN$"

// openTerminal opens the console's input and screen buffer. Both are opened
// for reading and writing: GetConsoleMode and SetConsoleMode, which raw mode
// and colours need, want GENERIC_READ and GENERIC_WRITE on either handle.
func openTerminal() (in, out *os.File, err error) {
	in, err = os.OpenFile(terminalPath, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	out, err = os.OpenFile("CONOUT$", os.O_RDWR, 0)
	if err != nil {
		in.Close()
		return nil, nil, err
	}
	return in, out, nil
}
