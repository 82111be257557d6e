#!/usr/bin/env bash
# Records real programs for the vt differential corpus (see ../README.md).
#
#   vt/testdata/corpus/gen/record.sh            # from the repository root
#
# Each program runs in a pane of a private tmux server (-L gosh-rec-$$) of exactly 80x24 with
# TERM=xterm-256color. tmux pipe-pane -o copies every byte the program writes into the .vt file
# from before the program starts (the pane waits for a key first), send-keys drives it, and
# piping stops once the screen to keep is shown. Needs tmux, vim, less, htop and man-db
# (apt-get install -y tmux vim less htop man-db). The inputs are written fresh for the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$PWD
work=$(mktemp -d)
sock=gosh-rec-$$
export LC_ALL=C.UTF-8
unset TMUX TMUX_PANE || true
t() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# --- inputs, written for this corpus --------------------------------------------------------
cat > "$work/main.go" <<'EOF'
// Package main is a small program to look at in an editor.
package main

import (
	"fmt"
	"strings"
)

// greet returns a greeting for each name, one per line.
func greet(names []string) string {
	var b strings.Builder
	for i, n := range names {
		fmt.Fprintf(&b, "%d: hello, %s\n", i+1, n)
	}
	return b.String()
}

func main() {
	fmt.Print(greet([]string{"ada", "grace", "ken", "rob"}))
	// Wide text: 中文 and an emoji 🚀 in a comment.
}
EOF
for i in $(seq 1 200); do
	case $((i % 7)) in
	0) echo "line $i: the quick brown fox jumps over the lazy dog, again and again." ;;
	3) echo "line $i: terminal emulators keep a grid of cells; each cell holds a grapheme." ;;
	5) echo "line $i: 宽字符 take two columns, and a needle hides here." ;;
	*) echo "line $i: plain text for paging through with less." ;;
	esac
done > "$work/text.txt"
mkdir -p "$work/dir/sub" && (cd "$work/dir" && touch a.txt b.go c.tar.gz d.png && printf '#!/bin/sh\n' > run.sh &&
	chmod +x run.sh && ln -s a.txt link && ln -s missing broken && mkfifo pipe &&
	touch -d '2024-01-02 03:04' * sub 2>/dev/null || true)
cat > "$work/gosh-corpus.1" <<'EOF'
.TH GOSH-CORPUS 1 "2025" "gosh" "gosh corpus"
.SH NAME
gosh-corpus \- a manual page written for the vt differential corpus
.SH SYNOPSIS
.B gosh-corpus
[\fB\-v\fR] [\fIfile\fR ...]
.SH DESCRIPTION
This page exists so that \fBman\fR has something to format. It uses
\fBbold\fR, \fIitalic\fR and underlined text, several paragraphs and
enough lines to scroll.
.SH OPTIONS
.TP
.B \-v
Be verbose. Repeat for more detail.
.TP
.I file
A file to read. Several may be given; they are read in order.
.SH EXAMPLES
.nf
gosh-corpus \-v notes.txt
gosh-corpus < input
.fi
.SH NOTES
.PP
Terminal emulators turn bytes into a grid of cells. This page is displayed by a
pager, which draws it with cursor motions, erasures and attributes, which is
why it is in the corpus.
.PP
Another paragraph, to make the page longer than one screen. Another paragraph,
to make the page longer than one screen. Another paragraph, to make the page
longer than one screen.
.SH SEE ALSO
.BR less (1),
.BR tmux (1)
EOF

# --- driving ---------------------------------------------------------------------------------
# wait_for TEXT: poll (bounded) until the pane shows TEXT.
wait_for() {
	for _ in $(seq 1 200); do
		t capture-pane -p -t rec | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	echo "record: timed out waiting for '$1'" >&2
	t capture-pane -p -t rec >&2
	return 1
}

# wait_dead: poll (bounded) until the pane's program has exited.
wait_dead() {
	for _ in $(seq 1 200); do
		[ "$(t display -p -t rec '#{pane_dead}')" = 1 ] && return 0
		sleep 0.05
	done
	echo "record: the program did not exit" >&2
	return 1
}

# start NAME COMMAND: a fresh 80x24 session running COMMAND once a key arrives, piped to NAME.vt.
start() {
	rm -f "$out/$1.vt"
	t new-session -d -s rec -x 80 -y 24 \
		"stty -echo; read -r _; stty echo; cd '$work'; exec env TERM=xterm-256color LINES= COLUMNS= $2" \; \
		set -g status off \; set -g remain-on-exit on
	t pipe-pane -o -t rec "cat >> '$out/$1.vt'"
	t send-keys -t rec Enter
}

# stop NAME: stop piping, end the server, check the size.
stop() {
	t pipe-pane -t rec 2>/dev/null || true # fails harmlessly once the program has exited
	t kill-server
	sleep 0.2
	size=$(stat -c %s "$out/$1.vt")
	echo "$1.vt: $size bytes"
	[ "$size" -lt 102400 ] || { echo "record: $1.vt is over 100 KB" >&2; exit 1; }
}

start rec-vim "vim -u NONE -N -n -i NONE -c 'syntax on' main.go"
wait_for "main.go"
t send-keys -t rec 3j w w
t send-keys -t rec o 'x := 42 // inserted' Escape
t send-keys -t rec ':set number' Enter
wait_for " 5 "
t send-keys -t rec G k
wait_for "x := 42"
stop rec-vim

start rec-vim-quit "vim -u NONE -N -n -i NONE main.go"
wait_for "main.go"
t send-keys -t rec j A ' // edit' Escape
wait_for "// edit"
t send-keys -t rec ':q!' Enter
wait_dead
stop rec-vim-quit

start rec-less "less text.txt"
wait_for "line 1:"
t send-keys -t rec Space
wait_for "line 30:"
t send-keys -t rec / needle Enter
wait_for "needle"
t send-keys -t rec Space b
sleep 0.3
stop rec-less

start rec-htop "htop -d 5 --filter=htop"
wait_for "Load average"
sleep 1.2
t send-keys -t rec Down Down
sleep 0.6
stop rec-htop

start rec-ls-color "ls -l --color=always dir"
wait_for "broken"
stop rec-ls-color

start rec-man "env MANPAGER=less MANWIDTH=80 man -l gosh-corpus.1"
wait_for "NAME"
t send-keys -t rec Space
wait_for "SEE ALSO"
stop rec-man
