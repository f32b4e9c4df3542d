package tty

// CONIN$ is the console's input even when stdin is redirected.
const terminalPath = "CONIN$"
