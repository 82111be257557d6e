package input

import (
	"strings"
	"unicode/utf8"
)

// CommandPrompt is a question on the status line whose answer is typed
// (tmux's command-prompt): rename-session ($), rename-window (,),
// select-window by index ('), list-keys for a key (/), or any command
// (:).
type CommandPrompt struct {
	// Label is shown before the answer, already expanded ("(rename-window) ").
	Label string
	// Input is the answer's starting text (-I, expanded), which the user
	// edits.
	Input string
	// Template is the command run with the answer: "%%" (and "%1") are
	// replaced by it, quoted for the command line's single quotes. An
	// empty template runs the answer itself as a command line.
	Template string
	// Key takes a single key's name as the answer (-k), without Enter.
	Key bool
}

// StartPrompt asks p: the next keys edit the answer (BSpace, C-u, C-w,
// printable characters), Enter runs the template with it, Escape, C-c
// and C-g cancel. It replaces any question being asked.
func (s *State) StartPrompt(p CommandPrompt) {
	s.table = ""
	s.confirmCmd = ""
	s.cmdPrompt = &p
	s.prompt = promptText(&p)
}

// promptText is what Prompt shows for a command prompt: a format (the
// caller expands it) that prints the label and the answer literally.
func promptText(p *CommandPrompt) string {
	return strings.ReplaceAll(p.Label+p.Input, "#", "##")
}

// promptKey edits the command prompt's answer with one key.
func (s *State) promptKey(k Key) {
	p := s.cmdPrompt
	done := func() { s.cmdPrompt, s.prompt = nil, "" }
	if p.Key {
		done()
		s.emit(Action{Kind: Command, Command: fillTemplate(p.Template, k.String())})
		return
	}
	switch {
	case k.Code == KeyEnter || (k.Mods == ModCtrl && (k.Rune == 'm' || k.Rune == 'j')):
		done()
		if line := fillTemplate(p.Template, p.Input); strings.TrimSpace(line) != "" {
			s.emit(Action{Kind: Command, Command: line})
		}
		return
	case k.Code == KeyEscape || (k.Mods == ModCtrl && (k.Rune == 'c' || k.Rune == 'g')):
		done()
		return
	case k.Code == KeyBackspace || (k.Mods == ModCtrl && k.Rune == 'h'):
		if _, n := utf8.DecodeLastRuneInString(p.Input); n > 0 {
			p.Input = p.Input[:len(p.Input)-n]
		}
	case k.Mods == ModCtrl && k.Rune == 'u':
		p.Input = ""
	case k.Mods == ModCtrl && k.Rune == 'w':
		// The word before the end, and the blanks after it (emacs).
		in := strings.TrimRight(p.Input, " ")
		p.Input = in[:strings.LastIndexByte(in, ' ')+1]
	case k.Code == KeySpace && k.Mods == 0:
		p.Input += " "
	case k.Code == KeyNone && k.Mods&^ModShift == 0 && k.Rune >= ' ' && len(p.Input) < maxPromptInput:
		p.Input += string(k.Rune)
	}
	s.prompt = promptText(p)
}

// maxPromptInput bounds an answer: the status line is one row.
const maxPromptInput = 1024

// fillTemplate puts answer into template where "%%" or "%1" stand, quoted
// for single quotes ('…' in the template keeps it one word); an empty
// template is the answer itself.
func fillTemplate(template, answer string) string {
	if template == "" {
		return answer
	}
	quoted := strings.ReplaceAll(answer, `'`, `'\''`)
	return strings.ReplaceAll(strings.ReplaceAll(template, "%%", quoted), "%1", quoted)
}
